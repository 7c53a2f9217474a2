namespace PaperBot.Discord.Redis;

/// <summary>Configuration section "Redis": when <see cref="ConnectionString"/> is set, every process on the same bot token
/// shares one global REST budget and one IDENTIFY spacing through this Redis server. The connection string may hold a
/// password: set it with PAPERBOT_Redis__ConnectionString or user-secrets, never in a file.</summary>
public sealed class RedisLimitsOptions
{
    public const string SectionName = "Redis";

    /// <summary>StackExchange.Redis configuration, e.g. <c>127.0.0.1:6379</c>; empty = in-process limits (one process).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Prefix of the keys (several deployments may share one Redis).</summary>
    public string KeyPrefix { get; set; } = "paperbot";

    public override string ToString() => $"RedisLimitsOptions(ConnectionString={(string.IsNullOrEmpty(ConnectionString) ? "<unset>" : "<redacted>")}, KeyPrefix={KeyPrefix})";
}
