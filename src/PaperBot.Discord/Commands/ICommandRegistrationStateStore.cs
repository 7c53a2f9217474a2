using System.Collections.Concurrent;

namespace PaperBot.Discord.Commands;

/// <summary>
/// Remembers the hash of the command definitions last registered successfully per scope ("global:{app}" or
/// "guild:{app}:{guild}"), so an unchanged set is not PUT again on every READY. The default keeps it in memory (one PUT per
/// process); a host registers a persistent store to skip the PUT across restarts too.
/// </summary>
public interface ICommandRegistrationStateStore
{
    string? GetHash(string scope);

    void SetHash(string scope, string hash);
}

/// <summary>In-memory <see cref="ICommandRegistrationStateStore"/>: unchanged commands are registered once per process.</summary>
public sealed class InMemoryCommandRegistrationStateStore : ICommandRegistrationStateStore
{
    private readonly ConcurrentDictionary<string, string> _hashes = new(StringComparer.Ordinal);

    public string? GetHash(string scope) => _hashes.TryGetValue(scope, out var h) ? h : null;

    public void SetHash(string scope, string hash) => _hashes[scope] = hash;
}
