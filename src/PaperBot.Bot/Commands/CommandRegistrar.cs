using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Bot.Options;
using PaperBot.Discord.Models;
using PaperBot.Discord.Rest;

namespace PaperBot.Bot.Commands;

/// <summary>
/// Registers every slash command with one bulk overwrite: on the dev guild in Development mode (instant), globally in
/// Production. Overwriting (not creating one by one) also removes commands that no longer exist.
/// </summary>
public sealed class CommandRegistrar(IEnumerable<ISlashCommand> commands, IDiscordRestClient rest, IOptions<BotOptions> options, ILogger<CommandRegistrar> logger)
{
    private int _started;

    /// <summary>The definitions sent in the bulk overwrite.</summary>
    public IReadOnlyList<ApplicationCommand> Definitions => commands.Select(c => c.Definition).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();

    /// <summary>True the first time only: registration runs once per process (READY also follows re-identifies).</summary>
    public bool TryBegin() => Interlocked.Exchange(ref _started, 1) == 0;

    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        try
        {
            await OverwriteAsync(cancellationToken);
        }
        catch
        {
            Interlocked.Exchange(ref _started, 0); // the next READY tries again
            throw;
        }
    }

    private async Task OverwriteAsync(CancellationToken cancellationToken)
    {
        var defs = Definitions;
        var o = options.Value;
        if (o.Mode == BotMode.Development && o.DevGuildId is { } guild)
        {
            var result = await rest.BulkOverwriteGuildCommandsAsync(guild, defs, cancellationToken);
            logger.LogInformation("Registered {Count} slash commands on guild {Guild} (development mode)", result.Count, guild);
        }
        else
        {
            var result = await rest.BulkOverwriteGlobalCommandsAsync(defs, cancellationToken);
            logger.LogInformation("Registered {Count} global slash commands", result.Count);
        }
    }
}
