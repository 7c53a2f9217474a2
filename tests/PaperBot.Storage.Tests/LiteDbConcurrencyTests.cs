using PaperBot.Core.Papers;
using PaperBot.Storage;
using PaperBot.Testing;

namespace PaperBot.Storage.Tests;

public sealed record Claim(string Owner, int Round);

public sealed record StressNote(string Owner, int Round);

/// <summary>
/// Many threads on one <see cref="LiteDbContext"/>: paper upserts, record claims and writes (each ending with the
/// checkpoint sync point), and reads of every kind at the same time. LiteDB 5.0.20's checkpoint clears its page cache,
/// which must not happen while another thread holds pages ("must have no pages in use when call Clear() cache").
/// </summary>
public sealed class LiteDbConcurrencyTests : IDisposable
{
    private const int Threads = 8;
    private const int Rounds = 200;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Writers_and_readers_on_one_file_never_fault_and_lose_nothing()
    {
        var path = _dir.File("stress.db");
        using (var context = new LiteDbContext(path))
        {
            var papers = new LiteDbPaperStore(context);
            var claims = new LiteDbRecordStore<Claim>(context);
            var notes = new LiteDbRecordStore<StressNote>(context);
            using var start = new Barrier(Threads);
            var workers = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                for (var round = 0; round < Rounds; round++)
                {
                    switch ((t + round) % 4)
                    {
                        case 0:
                            papers.Upsert([Paper(t, round), Paper(t, round + Rounds)]);
                            break;
                        case 1:
                            claims.TryInsert($"round-{round}", new Claim($"t{t}", round));
                            notes.Put($"t{t}-r{round}", new StressNote($"t{t}", round));
                            break;
                        case 2:
                            _ = papers.GetMany([Id(t, round), Id((t + 1) % Threads, round)]);
                            _ = papers.Trending(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), 10);
                            _ = papers.ChangedSince(0).Take(50).ToList();
                            break;
                        default:
                            _ = claims.All();
                            _ = notes.Get($"t{t}-r{round - 1}");
                            _ = papers.Page(null, 20);
                            _ = papers.Stats();
                            break;
                    }
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToList();

            await Task.WhenAll(workers);
        }

        using var reopened = new LiteDbContext(path);
        var store = new LiteDbPaperStore(reopened);
        var expectedPapers = Enumerable.Range(0, Threads).SelectMany(t => Enumerable.Range(0, Rounds).Where(r => (t + r) % 4 == 0)).Count() * 2;
        Assert.Equal(expectedPapers, store.Count());
        Assert.Equal(expectedPapers, store.All().Count());
        var claimRounds = Enumerable.Range(0, Rounds).Where(r => Enumerable.Range(0, Threads).Any(t => (t + r) % 4 == 1)).ToList();
        var stored = new LiteDbRecordStore<Claim>(reopened).All();
        Assert.Equal(claimRounds.Select(r => $"round-{r}").Order(StringComparer.Ordinal), stored.Select(c => c.Key).Order(StringComparer.Ordinal));
        Assert.All(stored, c => Assert.Equal(1, (int.Parse(c.Value.Owner[1..], System.Globalization.CultureInfo.InvariantCulture) + c.Value.Round) % 4));
        var expectedNotes = Enumerable.Range(0, Threads).SelectMany(t => Enumerable.Range(0, Rounds).Where(r => (t + r) % 4 == 1)).Count();
        Assert.Equal(expectedNotes, new LiteDbRecordStore<StressNote>(reopened).Count());
    }

    /// <summary>
    /// LiteDB 5.0.20 publishes a new collection's name in its shared header before the collection page reaches the
    /// write-ahead index, so a reader looking the name up in that window reads a page that is not there yet
    /// ("page type must be collection page"); PaperBot reported that as a corrupt file. Readers here look up
    /// collections while another thread creates them.
    /// </summary>
    [Fact]
    public async Task Reading_collections_while_they_are_created_never_faults()
    {
        const int Collections = 250;
        const int Readers = 3;
        var path = _dir.File("create.db");
        using (var context = new LiteDbContext(path))
        {
            var raw = new LiteDbRawRecords(context);
            raw.Put("rec_seed", "k", "{}");
            var created = -1;
            using var start = new Barrier(Readers + 1);
            var writer = Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                for (var i = 0; i < Collections; i++)
                {
                    raw.Put($"rec_c{i}", "k", $"{{\"i\":{i}}}");
                    Volatile.Write(ref created, i);
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var readers = Enumerable.Range(0, Readers).Select(r => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                var reads = 0;
                while (!writer.IsCompleted)
                {
                    // the collection being created now, and the next one
                    var next = Volatile.Read(ref created) + 1;
                    _ = raw.Get($"rec_c{next}", "k");
                    _ = raw.Get($"rec_c{next + 1}", "k");
                    reads += 2;
                }

                return reads;
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToList();

            await writer;
            var reads = await Task.WhenAll(readers);
            Assert.All(reads, n => Assert.True(n > 0));
        }

        using var reopened = new LiteDbContext(path);
        var check = new LiteDbRawRecords(reopened);
        Assert.Equal(Collections + 1, check.Collections().Count);
        Assert.All(Enumerable.Range(0, Collections), i => Assert.Equal($"{{\"i\":{i}}}", check.Get($"rec_c{i}", "k")));
    }

    private static string Id(int thread, int round) => $"2601.{thread:D2}{round:D4}";

    private static Paper Paper(int thread, int round) => new()
    {
        Id = Id(thread, round),
        Title = $"Stress paper {thread} {round}",
        Abstract = string.Concat(Enumerable.Repeat($"Sentence {round} about concurrent writers on thread {thread}. ", 40)),
        Published = new DateOnly(2026, 1 + (round % 12), 1 + (thread % 28)),
        Sources = ["stress"],
    };
}
