using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PaperBot.AI;
using PaperBot.Discord.Gateway;

namespace PaperBot.Hosting;

/// <summary>
/// What the live status line of an interactive `paperbot run` shows: the gateway state, how many guilds the bot is in
/// (READY, GUILD_CREATE and GUILD_DELETE), and how many questions were answered since UTC midnight.
/// </summary>
public sealed class RunStatus(TimeProvider time, IServiceProvider services)
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _guilds = [];
    private DateOnly _day;
    private int _answeredToday;

    public int Guilds
    {
        get
        {
            lock (_lock)
            {
                return _guilds.Count;
            }
        }
    }

    public int AnsweredToday
    {
        get
        {
            lock (_lock)
            {
                RollOver();
                return _answeredToday;
            }
        }
    }

    public GatewayState Gateway => services.GetService<GatewayClient>()?.State ?? GatewayState.Disconnected;

    /// <summary>One line, e.g. "gateway Ready · 3 guilds · 12 questions answered today".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"gateway {Gateway} · {Guilds} guild{(Guilds == 1 ? "" : "s")} · {AnsweredToday} question{(AnsweredToday == 1 ? "" : "s")} answered today");

    public void QuestionAnswered()
    {
        lock (_lock)
        {
            RollOver();
            _answeredToday++;
        }
    }

    internal void SetGuilds(IEnumerable<string> ids)
    {
        lock (_lock)
        {
            _guilds.Clear();
            _guilds.UnionWith(ids);
        }
    }

    internal void AddGuild(string id)
    {
        lock (_lock)
        {
            _guilds.Add(id);
        }
    }

    internal void RemoveGuild(string id)
    {
        lock (_lock)
        {
            _guilds.Remove(id);
        }
    }

    private void RollOver()
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (today != _day)
        {
            _day = today;
            _answeredToday = 0;
        }
    }
}

/// <summary>Keeps <see cref="RunStatus.Guilds"/> from the raw gateway events (no model changes needed).</summary>
public sealed class RunStatusGuildTracker(RunStatus status) : IRawGatewayEventHandler
{
    public ValueTask HandleAsync(string eventName, int? sequence, JsonElement data, CancellationToken cancellationToken)
    {
        switch (eventName)
        {
            case "READY" when data.TryGetProperty("guilds", out var guilds) && guilds.ValueKind == JsonValueKind.Array:
                status.SetGuilds(guilds.EnumerateArray().Select(Id).OfType<string>());
                break;
            case "GUILD_CREATE" when Id(data) is { } id:
                status.AddGuild(id);
                break;
            // "unavailable": true is an outage, not a removal: the guild comes back with GUILD_CREATE.
            case "GUILD_DELETE" when Id(data) is { } id && !(data.TryGetProperty("unavailable", out var u) && u.ValueKind == JsonValueKind.True):
                status.RemoveGuild(id);
                break;
        }

        return ValueTask.CompletedTask;
    }

    private static string? Id(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
}

/// <summary>
/// Counts answered questions by wrapping <see cref="IPaperAssistant"/>: a completed <c>AskAsync</c> counts once.
/// A proxy (not a hand-written decorator) so that methods added to the interface later pass through untouched.
/// </summary>
public class AnswerCountingProxy : DispatchProxy
{
    private IPaperAssistant _inner = null!;
    private RunStatus _status = null!;

    public static IPaperAssistant Wrap(IPaperAssistant inner, RunStatus status)
    {
        var proxy = Create<IPaperAssistant, AnswerCountingProxy>();
        var self = (AnswerCountingProxy)(object)proxy;
        self._inner = inner;
        self._status = status;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        object? result;
        try
        {
            result = targetMethod!.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }

        if (targetMethod.Name == nameof(IPaperAssistant.AskAsync) && result is Task<AssistantAnswer> task)
        {
            return Count(task);
        }

        return result;
    }

    private async Task<AssistantAnswer> Count(Task<AssistantAnswer> task)
    {
        var answer = await task.ConfigureAwait(false);
        _status.QuestionAnswered();
        return answer;
    }
}

public static class RunStatusRegistration
{
    /// <summary>The `run` status line's sources: guild tracking on the gateway and answer counting on the assistant.</summary>
    public static IServiceCollection AddRunStatus(this IServiceCollection services)
    {
        services.TryAddSingleton<RunStatus>();
        services.TryAddEnumerable(ServiceDescriptor.Transient<IRawGatewayEventHandler, RunStatusGuildTracker>());
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IPaperAssistant));
        if (registered is not null && !registered.IsKeyedService)
        {
            services.Remove(registered);
            services.Add(new ServiceDescriptor(typeof(IPaperAssistant),
                sp => AnswerCountingProxy.Wrap(Resolve(sp, registered), sp.GetRequiredService<RunStatus>()), registered.Lifetime));
        }

        return services;
    }

    private static IPaperAssistant Resolve(IServiceProvider sp, ServiceDescriptor d) => (IPaperAssistant)(
        d.ImplementationInstance
        ?? d.ImplementationFactory?.Invoke(sp)
        ?? ActivatorUtilities.CreateInstance(sp, d.ImplementationType!));
}
