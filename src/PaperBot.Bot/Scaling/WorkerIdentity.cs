using System.Globalization;

namespace PaperBot.Bot.Scaling;

/// <summary>This process's name in lease rows: machine, process id and a random part (a restarted process is a new worker).</summary>
public sealed class WorkerIdentity
{
    public string Id { get; } = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}");
}
