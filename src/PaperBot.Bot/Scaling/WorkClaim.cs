namespace PaperBot.Bot.Scaling;

/// <summary>
/// A lease on one unit of exactly-once work (a guild's digest for a local date, a user's DM for a UTC day), stored in
/// IRecordStore&lt;WorkClaim&gt; under the work key. Attempt n+1 is taken by inserting the marker key <c>{key}#{n+1}</c>,
/// so exactly one process wins a takeover even on a store that only offers an atomic insert.
/// </summary>
public sealed class WorkClaim
{
    public string Key { get; set; } = "";

    /// <summary>1 for the first claim, +1 for every takeover of an expired or released lease.</summary>
    public int Attempt { get; set; }

    /// <summary>The process holding the lease (<see cref="WorkerIdentity"/>).</summary>
    public string Owner { get; set; } = "";

    public DateTimeOffset ClaimedAt { get; set; }

    /// <summary>After this instant another process may take the work over.</summary>
    public DateTimeOffset LeaseUntil { get; set; }

    /// <summary>The work finished (posted, or failed for good): nobody takes it again.</summary>
    public bool Done { get; set; }

    /// <summary>What the work produced, e.g. the Discord message id, recorded as soon as it is known.</summary>
    public ulong? ResultId { get; set; }

    /// <summary>Where the result went (the channel id), for the check before a re-post.</summary>
    public ulong? ResultChannelId { get; set; }

    public static string MarkerKey(string key, int attempt) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{key}#{attempt}");
}
