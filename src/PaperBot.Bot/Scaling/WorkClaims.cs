using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PaperBot.Core.Persistence;

namespace PaperBot.Bot.Scaling;

/// <summary>
/// Claim and lease rows for exactly-once work across processes sharing one store (LiteDB shared mode or PostgreSQL).
/// Only <see cref="IRecordStore{T}.TryInsert"/> is relied on for atomicity: the first claim inserts the work key, a
/// take-over of an expired or released lease inserts the marker of the next attempt, so two processes never both win.
/// Together with an idempotent send (an enforced Discord nonce derived from the key, <see cref="NonceFor"/>) and the
/// recorded result, a crash at any point neither loses nor duplicates the work. Time comes from <see cref="TimeProvider"/>.
/// </summary>
public sealed class WorkClaims(IRecordStore<WorkClaim> store, WorkerIdentity worker, TimeProvider time, IOptions<ScalingOptions> options)
{
    /// <summary>Claims <paramref name="key"/> for this process, or returns null when it is done or leased by another.
    /// The returned claim's <see cref="WorkClaim.Attempt"/> is above 1 when an earlier attempt may have produced a result.</summary>
    public WorkClaim? TryAcquire(string key)
    {
        var now = time.GetUtcNow();
        var current = store.Get(key);
        if (current is null)
        {
            var first = New(key, 1, now, null);
            return store.TryInsert(key, first) ? first : null;
        }

        if (current.Done || current.LeaseUntil > now)
        {
            return null;
        }

        var next = New(key, current.Attempt + 1, now, current);
        if (!store.TryInsert(WorkClaim.MarkerKey(key, next.Attempt), next))
        {
            return null; // another process took this attempt over first
        }

        store.Put(key, next);
        return next;
    }

    /// <summary>Extends the lease before a long step (e.g. right before sending). Throws <see cref="LeaseLostException"/>
    /// when another process has taken the work over meanwhile (this one was too slow): the caller must not send.</summary>
    public void Renew(WorkClaim claim)
    {
        claim.LeaseUntil = time.GetUtcNow() + options.Value.LeaseDuration;
        if (!PutIfStillMine(claim))
        {
            throw new LeaseLostException(claim.Key, claim.Attempt);
        }
    }

    /// <summary>Records what was produced as soon as it is known (before anything else can fail).</summary>
    public void RecordResult(WorkClaim claim, ulong resultId, ulong? channelId)
    {
        claim.ResultId = resultId;
        claim.ResultChannelId = channelId;
        if (store.Get(claim.Key) is { } current && current.Attempt != claim.Attempt)
        {
            // taken over meanwhile: still tell the newer attempt that the message exists, so it does not post again
            if (current.ResultId is null)
            {
                current.ResultId = resultId;
                current.ResultChannelId = channelId;
                store.Put(claim.Key, current);
            }

            return;
        }

        store.Put(claim.Key, claim);
    }

    /// <summary>The work is finished for good (done or failed permanently).</summary>
    public void Complete(WorkClaim claim)
    {
        claim.Done = true;
        _ = PutIfStillMine(claim);
    }

    /// <summary>Gives the lease back without finishing (host stopping): the next process may take over at once.</summary>
    public void Release(WorkClaim claim)
    {
        claim.LeaseUntil = time.GetUtcNow();
        _ = PutIfStillMine(claim);
    }

    public WorkClaim? Get(string key) => store.Get(key);

    /// <summary>A Discord message nonce (at most 25 characters) that is the same for every attempt of one unit of work.</summary>
    public static string NonceFor(string key) =>
        "pb" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..23];

    private bool PutIfStillMine(WorkClaim claim)
    {
        // a process whose lease expired and was taken over must not overwrite the newer attempt's row
        if (store.Get(claim.Key) is { } current && current.Attempt != claim.Attempt)
        {
            return false;
        }

        store.Put(claim.Key, claim);
        return true;
    }

    private WorkClaim New(string key, int attempt, DateTimeOffset now, WorkClaim? previous) => new()
    {
        Key = key,
        Attempt = attempt,
        Owner = worker.Id,
        ClaimedAt = now,
        LeaseUntil = now + options.Value.LeaseDuration,
        ResultId = previous?.ResultId,
        ResultChannelId = previous?.ResultChannelId,
    };
}

/// <summary>Another process took over the work after this one's lease expired.</summary>
public sealed class LeaseLostException(string key, int attempt)
    : Exception($"The lease on '{key}' (attempt {attempt}) expired and another process took the work over.");
