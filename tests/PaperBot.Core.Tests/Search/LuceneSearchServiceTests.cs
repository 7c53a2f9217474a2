using Microsoft.Extensions.Options;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;
using PaperBot.Core.Search.Indexing;
using PaperBot.Testing;

namespace PaperBot.Core.Tests.Search;

public sealed class LuceneSearchServiceTests : IDisposable
{
    private readonly TempDir _tmp = new();
    private readonly InMemoryPaperStore _store = new();

    public LuceneSearchServiceTests() => _store.Upsert(Corpus());

    private string IndexPath => _tmp.File("papers.db.index");

    public void Dispose() => _tmp.Dispose();

    internal static List<Paper> Corpus() =>
    [
        P("p-video", "Video Diffusion Models for Long Video Generation",
            "We train a latent diffusion model that generates minute-long videos. Temporal attention keeps the frames consistent. Video quality improves over prior diffusion baselines.",
            ["Jane Smith", "Wei Zhang"], "Google DeepMind", new(2025, 3, 10), 120),
        P("p-image", "Fast Image Diffusion with Consistency Distillation",
            "Consistency distillation turns an image diffusion model into a one-step generator. Sampling is 50 times faster.",
            ["Ahmed Khan"], "Stability AI", new(2025, 1, 5), 45),
        P("p-rl", "Reinforcement Learning from Human Feedback at Scale",
            "We study reward models for reinforcement learning from human feedback. Larger reward models reduce reward hacking in language models.",
            ["Maria Garcia", "Jane Smithson"], "OpenAI", new(2024, 11, 20), 300),
        P("p-math", "Transformers Learn Arithmetic with the Right Embeddings",
            "Positional embeddings let transformers add 100-digit numbers. A transformer trained on 20 digits generalises to 100 digits.",
            ["Tom Brown"], null, new(2025, 2, 14), 80),
        P("p-agents", "Tool-Using Agents for Scientific Discovery",
            "Language model agents call tools to run experiments. The agent plans, executes code and reads papers to propose hypotheses.",
            ["Li Wei"], "Tsinghua University", new(2025, 4, 1), 15),
        P("p-undated", "Diffusion Policies for Robot Manipulation",
            "A diffusion policy predicts robot actions from camera images and beats behaviour cloning on manipulation tasks.",
            ["Jane Smith"], null, null, 5),
    ];

    internal static Paper P(string id, string title, string abs, List<string> authors, string? org, DateOnly? published, int upvotes) => new()
    {
        Id = id,
        Title = title,
        Abstract = abs,
        Authors = authors,
        Organization = org,
        Published = published,
        Upvotes = upvotes,
    };

    private LuceneSearchService NewService(IPaperStore? store = null, string? path = null) =>
        new(store ?? _store, Options.Create(new SearchOptions { IndexPath = path ?? IndexPath }));

    private static List<string> Ids(IEnumerable<SearchHit> hits) => hits.Select(h => h.Paper.Id).ToList();

    [Fact]
    public void Ranks_the_most_relevant_paper_first_and_hydrates_from_the_store()
    {
        using var search = NewService();
        var hits = search.Search(new SearchQuery("long video generation with diffusion"));
        Assert.Equal("p-video", hits[0].Paper.Id);
        Assert.Equal("Google DeepMind", hits[0].Paper.Organization);
        Assert.True(hits[0].Score > hits[^1].Score);
        Assert.Contains("p-image", Ids(hits));
        Assert.DoesNotContain("p-agents", Ids(hits));

        // Stemming: "transformer" finds "Transformers"; stop words alone find nothing.
        Assert.Equal("p-math", search.Search(new SearchQuery("transformer arithmetic")).First().Paper.Id);
        Assert.Empty(search.Search(new SearchQuery("the of and")));
    }

    [Fact]
    public void Authors_and_organisation_are_searchable_text()
    {
        using var search = NewService();
        Assert.Equal("p-agents", search.Search(new SearchQuery("Tsinghua")).Single().Paper.Id);
        Assert.Equal("p-math", search.Search(new SearchQuery("Tom Brown")).First().Paper.Id);
    }

    [Fact]
    public void Filters_by_date_range_upvotes_and_author_or_organisation()
    {
        using var search = NewService();
        var diffusion = new SearchQuery("diffusion") { Top = 20 };
        Assert.Equal(["p-image", "p-undated", "p-video"], Ids(search.Search(diffusion)).Order());

        Assert.Equal(["p-video"], Ids(search.Search(diffusion with { From = new(2025, 2, 1) })));
        Assert.Equal(["p-image"], Ids(search.Search(diffusion with { To = new(2025, 2, 1) })));
        Assert.Equal(["p-video"], Ids(search.Search(diffusion with { MinUpvotes = 100 })));

        // Author: whole names, case-insensitive; "Smith" is not "Smithson".
        Assert.Equal(["p-undated", "p-video"], Ids(search.Search(diffusion with { AuthorOrOrganization = "jane smith" })).Order());
        Assert.Equal(["p-rl", "p-undated", "p-video"], Ids(search.Search(new SearchQuery("") { AuthorOrOrganization = "Jane", Top = 20 })).Order());
        Assert.Equal(["p-undated", "p-video"], Ids(search.Search(new SearchQuery("") { AuthorOrOrganization = "Smith", Top = 20 })).Order());
        Assert.Equal(["p-video"], Ids(search.Search(diffusion with { AuthorOrOrganization = "DeepMind" })));
        Assert.Empty(search.Search(diffusion with { AuthorOrOrganization = "OpenAI" }));

        // Filters combine (AND).
        Assert.Empty(search.Search(diffusion with { From = new(2025, 2, 1), MinUpvotes = 200 }));
    }

    [Fact]
    public void Sorts_by_date_and_by_upvotes()
    {
        using var search = NewService();
        var q = new SearchQuery("diffusion OR models OR learning") { Top = 20 };
        var byDate = search.Search(q with { Sort = SearchSort.Date });
        var dates = byDate.Select(h => h.Paper.Published ?? DateOnly.MinValue).ToList();
        Assert.Equal(dates.OrderByDescending(d => d), dates);
        Assert.Equal("p-agents", byDate[0].Paper.Id);
        Assert.Equal("p-undated", byDate[^1].Paper.Id);

        var byUpvotes = search.Search(q with { Sort = SearchSort.Upvotes });
        var votes = byUpvotes.Select(h => h.Paper.Upvotes ?? 0).ToList();
        Assert.Equal(votes.OrderByDescending(v => v), votes);
        Assert.Equal("p-rl", byUpvotes[0].Paper.Id);
        Assert.True(byUpvotes.Count >= 4);
    }

    [Fact]
    public void Snippets_mark_the_matched_terms()
    {
        using var search = NewService();
        var hit = search.Search(new SearchQuery("reward hacking")).First();
        Assert.Equal("p-rl", hit.Paper.Id);
        Assert.Contains("**reward** **hacking**", hit.Snippet);

        // Stemmed match marks the surface form.
        var math = search.Search(new SearchQuery("embedding number")).First();
        Assert.Equal("p-math", math.Paper.Id);
        Assert.Contains("**embeddings**", math.Snippet);
        Assert.Contains("**numbers**", math.Snippet);

        // Only the organisation matched: the snippet says so.
        var org = search.Search(new SearchQuery("Tsinghua")).Single();
        Assert.Contains("**Tsinghua**", org.Snippet);
    }

    [Fact]
    public void Related_returns_similar_papers_and_never_the_paper_itself()
    {
        using var search = NewService();
        var related = search.Related("p-video", 3);
        Assert.NotEmpty(related);
        Assert.DoesNotContain("p-video", Ids(related));
        Assert.Contains(related[0].Paper.Id, new[] { "p-image", "p-undated" });
        Assert.Empty(search.Related("no-such-id"));
    }

    [Fact]
    public void Added_updated_and_deleted_papers_are_reflected_by_the_next_query()
    {
        using var search = NewService();
        Assert.Empty(search.Search(new SearchQuery("quantum error correction")));

        _store.Upsert([P("p-quantum", "Quantum Error Correction with Neural Decoders", "Neural decoders for surface codes.", ["Ada Lovelace"], null, new(2025, 5, 1), 7)]);
        Assert.Equal("p-quantum", search.Search(new SearchQuery("quantum error correction")).Single().Paper.Id);

        var updated = _store.Get("p-quantum")!;
        updated.Title = "Topological Codes Decoded by Graph Networks";
        updated.Abstract = "Graph networks decode topological codes.";
        _store.Upsert([updated]);
        Assert.Empty(search.Search(new SearchQuery("quantum")));
        Assert.Equal("p-quantum", search.Search(new SearchQuery("topological codes")).First().Paper.Id);

        Assert.True(_store.Delete("p-quantum"));
        Assert.Empty(search.Search(new SearchQuery("topological")));
        Assert.DoesNotContain("p-quantum", Ids(search.Search(new SearchQuery("topological codes"))));
        Assert.Equal(_store.CurrentRevision, search.IndexedRevision);
        Assert.Equal(1, search.Rebuilds);
    }

    [Fact]
    public void A_paper_gone_from_the_store_is_never_served_even_if_the_index_still_has_it()
    {
        using var search = NewService();
        Assert.Contains("p-agents", Ids(search.Search(new SearchQuery("agents tools"))));
        _store.ForgetTombstones = true; // the index is not told about the deletion
        _store.Delete("p-agents");
        Assert.DoesNotContain("p-agents", Ids(search.Search(new SearchQuery("agents tools"))));
        Assert.DoesNotContain("p-agents", Ids(search.Related("p-rl", 10)));
    }

    [Fact]
    public void A_deleted_and_re_added_paper_is_found()
    {
        using var search = NewService();
        search.Synchronize();
        var paper = _store.Get("p-agents")!;
        _store.Delete("p-agents");
        _store.Upsert([paper]);
        Assert.Equal("p-agents", search.Search(new SearchQuery("scientific discovery agents")).First().Paper.Id);
    }

    [Fact]
    public void The_on_disk_index_is_reused_and_caught_up_by_a_new_instance()
    {
        using (var first = NewService())
        {
            first.Synchronize();
            Assert.Equal(1, first.Rebuilds);
        }

        _store.Upsert([P("p-new", "Sparse Mixture of Experts Routing", "Routing tokens to experts.", [], null, new(2025, 6, 1), 1)]);
        using var second = NewService();
        Assert.Equal("p-new", second.Search(new SearchQuery("mixture of experts")).Single().Paper.Id);
        Assert.Equal(0, second.Rebuilds);
        Assert.Equal(_store.CurrentRevision, second.IndexedRevision);
    }

    [Fact]
    public void A_deleted_index_directory_is_rebuilt_while_running_and_on_start()
    {
        using (var search = NewService())
        {
            Assert.NotEmpty(search.Search(new SearchQuery("diffusion")));
            Directory.Delete(IndexPath, recursive: true);
            Assert.Equal(3, search.Search(new SearchQuery("diffusion")).Count);
            Assert.Equal(2, search.Rebuilds);
            Assert.True(Directory.Exists(IndexPath));
        }

        Directory.Delete(IndexPath, recursive: true);
        using var again = NewService();
        Assert.Equal(3, again.Search(new SearchQuery("diffusion")).Count);
        Assert.Equal(1, again.Rebuilds);
    }

    [Fact]
    public void An_index_built_for_another_store_is_rebuilt()
    {
        using (var search = NewService())
        {
            search.Synchronize();
        }

        var other = new InMemoryPaperStore { StoreId = "another-db" };
        other.Upsert([P("o-1", "Graph Neural Networks for Molecules", "Message passing over molecular graphs.", [], null, new(2024, 1, 1), 3)]);
        using var search2 = NewService(other);
        Assert.Empty(search2.Search(new SearchQuery("diffusion")));
        Assert.Equal("o-1", search2.Search(new SearchQuery("molecules")).Single().Paper.Id);
        Assert.Equal(1, search2.Rebuilds);

        // The same store object swapping its identity (DB file replaced) triggers a rebuild too.
        other.StoreId = "replaced-db";
        Assert.Equal("o-1", search2.Search(new SearchQuery("molecules")).Single().Paper.Id);
        Assert.Equal(2, search2.Rebuilds);
    }

    [Fact]
    public void A_corrupt_index_is_rebuilt_from_the_store()
    {
        using (var search = NewService())
        {
            search.Synchronize();
        }

        foreach (var f in Directory.GetFiles(IndexPath, "segments_*"))
        {
            File.WriteAllBytes(f, [1, 2, 3, 4, 5]);
        }

        using var again = NewService();
        Assert.Equal(3, again.Search(new SearchQuery("diffusion")).Count);
        Assert.Equal(1, again.Rebuilds);
    }

    [Fact]
    public async Task Concurrent_queries_and_writes_do_not_fail_and_end_consistent()
    {
        using var search = NewService();
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 60; i++)
            {
                _store.Upsert([P($"c-{i}", $"Concurrent paper {i} about caching", "Caching layers for inference servers.", [], null, new(2025, 7, 1), i)]);
                if (i % 10 == 9)
                {
                    _store.Delete($"c-{i - 5}");
                }
            }
        });
        var readers = Enumerable.Range(0, 4).Select(r => Task.Run(() =>
        {
            for (var i = 0; i < 40; i++)
            {
                var hits = search.Search(new SearchQuery(i % 2 == 0 ? "caching inference" : "diffusion") { Top = 100 });
                Assert.All(hits, h => Assert.False(string.IsNullOrEmpty(h.Paper.Title)));
                _ = search.Related("p-video", 3);
            }
        })).ToArray();
        await Task.WhenAll([writer, .. readers]).WaitAsync(TimeSpan.FromSeconds(60));

        var final = Ids(search.Search(new SearchQuery("caching inference") { Top = 100 }));
        Assert.Equal(60 - 6, final.Count);
        Assert.DoesNotContain("c-4", final);
        Assert.Contains("c-59", final);
    }

    [Fact]
    public void Empty_text_without_filters_finds_nothing_and_with_filters_lists_matches()
    {
        using var search = NewService();
        Assert.Empty(search.Search(new SearchQuery("")));
        var recent = search.Search(new SearchQuery("  ") { From = new(2025, 3, 1), Sort = SearchSort.Date });
        Assert.Equal(["p-agents", "p-video"], Ids(recent));
        Assert.All(recent, h => Assert.False(string.IsNullOrWhiteSpace(h.Snippet)));
    }

    [Fact]
    public void An_in_memory_index_works_without_a_directory()
    {
        using var search = NewService(path: SearchOptions.InMemory);
        Assert.Equal("p-video", search.Search(new SearchQuery("video")).First().Paper.Id);
        Assert.False(Directory.Exists(IndexPath));
    }

    /// <summary>Stores <paramref name="papers"/> and returns the changes as a store that reports them would.</summary>
    private PaperChanges Store(params Paper[] papers)
    {
        var from = _store.CurrentRevision;
        var known = papers.Where(p => _store.Get(p.Id) is not null).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        _store.Upsert(papers);
        var changed = _store.ChangedSince(from).ToList();
        return new PaperChanges(from, _store.CurrentRevision, [.. changed.Where(p => !known.Contains(p.Id))], [.. changed.Where(p => known.Contains(p.Id))], []);
    }

    [Fact]
    public void Applied_changes_are_searchable_and_committed_with_their_revision_at_the_next_synchronize()
    {
        using (var search = NewService())
        {
            search.Synchronize();
            var rebuilds = search.Rebuilds;
            var added = Store(P("p-qec", "Surface Codes for Quantum Error Correction", "Logical qubits from surface codes.", ["Ada Lovelace"], null, new(2025, 5, 1), 3));
            var updated = Store(P("p-math", "Transformers Learn Arithmetic with the Right Embeddings", "Positional embeddings let transformers add numbers. Now with multiplication.", ["Tom Brown"], null, new(2025, 2, 14), 81));
            search.Apply(added);
            search.Apply(updated);
            Assert.Equal(_store.CurrentRevision, search.IndexedRevision);
            search.Synchronize();
            Assert.Equal("p-qec", search.Search(new SearchQuery("quantum error correction")).Single().Paper.Id);
            Assert.Equal("p-math", search.Search(new SearchQuery("multiplication")).Single().Paper.Id);
            Assert.Equal(rebuilds, search.Rebuilds);
            Assert.Equal(_store.Count(), search.Describe().Documents);
        }

        // The commit holds the revision: a new process finds the index current without a catch-up.
        using var reopened = NewService();
        var info = reopened.Describe();
        Assert.Equal(_store.CurrentRevision, info.IndexedRevision);
        Assert.Equal(_store.Count(), info.Documents);
    }

    [Fact]
    public void Changes_applied_but_not_synchronized_are_committed_with_their_revision_on_close()
    {
        using (var search = NewService())
        {
            search.Synchronize();
            search.Apply(Store(P("p-qec", "Surface Codes for Quantum Error Correction", "Logical qubits.", [], null, null, 0)));
        }

        using var reopened = NewService();
        Assert.Equal(_store.CurrentRevision, reopened.Describe().IndexedRevision);
        Assert.Equal("p-qec", reopened.Search(new SearchQuery("logical qubits")).Single().Paper.Id);
        Assert.Equal(0, reopened.Rebuilds);
    }

    [Fact]
    public void Changes_out_of_step_make_the_index_catch_up_from_the_store_and_never_duplicate_a_paper()
    {
        using var search = NewService();
        // Not open yet: the first Apply opens (builds) the index from the store, which already holds the change.
        var first = Store(P("p-a", "Alpha Particles in Plasma Confinement", "Plasma.", [], null, null, 0));
        search.Apply(first);
        Assert.Equal(_store.CurrentRevision, search.IndexedRevision);

        // A gap (another writer's batch came between): catch up from the store, which includes both.
        var missed = Store(P("p-b", "Beta Decay Spectra", "Neutrinos.", [], null, null, 0));
        var next = Store(P("p-c", "Gamma Ray Bursts from Magnetars", "Bursts.", [], null, null, 0));
        search.Apply(next);
        Assert.Equal(_store.CurrentRevision, search.IndexedRevision);

        // Changes the index already holds are skipped, not added again.
        search.Apply(missed);
        search.Apply(first);
        search.Synchronize();
        Assert.Equal(_store.Count(), search.Describe().Documents);
        foreach (var (id, words) in new[] { ("p-a", "alpha plasma"), ("p-b", "beta decay"), ("p-c", "gamma bursts") })
        {
            Assert.Equal(id, search.Search(new SearchQuery(words)).Single().Paper.Id);
        }
    }
}
