using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PaperBot.Cli;
using PaperBot.Testing;

namespace PaperBot.Tests;

/// <summary>The search verbs end to end through <see cref="CliApp.RunAsync"/> on a temporary database (sample corpus loaded on first use).</summary>
public sealed class SearchCliTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private string Db => _tmp.File("papers.db");

    private async Task<(int Code, string Out, string Err)> Run(params string[] args) => await RunWith(null, args);

    private async Task<(int Code, string Out, string Err)> RunWith(TimeProvider? time, params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync([.. args, "--db", Db], o, e, time is null ? null : b => b.Services.AddSingleton(time));
        return (code, o.ToString(), e.ToString());
    }

    private static int Upvotes(JsonElement r) => r.GetProperty("upvotes") is { ValueKind: JsonValueKind.Number } v ? v.GetInt32() : 0;

    private static JsonElement[] JsonLines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();

    [Fact]
    public async Task Search_prints_a_ranked_table_with_snippets_from_the_sample_corpus()
    {
        var (code, output, err) = await Run("search", "video generation");
        Assert.True(code == 0, err);
        var lines = output.Split('\n');
        Assert.Matches(@"^\s*#\s+score\s+relevance\s+date\s+upvotes\s+id\s+title", lines[0]);
        Assert.StartsWith("-", lines[1].TrimStart());
        Assert.Matches(@"^\s*1\s+\d+\.\d{3}\s+\d\.\d{2}\s+\d{4}-\d{2}-\d{2}", lines[2]);
        Assert.Contains("why:", output);
        Assert.Matches(@"\*\*[Vv]ideo", output);
    }

    [Fact]
    public async Task Search_json_has_the_stable_shape_and_honours_filters_and_sort()
    {
        var (code, output, err) = await Run("search", "language model", "--json", "--top", "5", "--sort", "upvotes");
        Assert.True(code == 0, err);
        var doc = Assert.Single(JsonLines(output));
        Assert.Equal("language model", doc.GetProperty("query").GetString());
        var results = doc.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(5, results.Count);
        foreach (var r in results)
        {
            Assert.Equal(["id", "title", "score", "relevance", "published", "upvotes"], r.EnumerateObject().Select(p => p.Name).ToArray());
            Assert.InRange(r.GetProperty("relevance").GetDouble(), 0, 1);
            Assert.False(string.IsNullOrEmpty(r.GetProperty("id").GetString()));
            var published = r.GetProperty("published");
            Assert.True(published.ValueKind == JsonValueKind.Null || System.Text.RegularExpressions.Regex.IsMatch(published.GetString()!, @"^\d{4}-\d{2}-\d{2}$"), published.ToString());
        }

        var votes = results.Select(Upvotes).ToList();
        Assert.Equal(votes.OrderByDescending(v => v), votes);

        var (_, all, _) = await Run("search", "language model", "--json", "--top", "1000");
        var allVotes = JsonLines(all)[0].GetProperty("results").EnumerateArray().Select(Upvotes).ToList();
        var (_, filtered, _) = await Run("search", "language model", "--json", "--top", "1000", "--min-upvotes", "3");
        var filteredVotes = JsonLines(filtered)[0].GetProperty("results").EnumerateArray().Select(Upvotes).ToList();
        Assert.NotEmpty(filteredVotes);
        Assert.All(filteredVotes, v => Assert.True(v >= 3));
        Assert.Equal(allVotes.Count(v => v >= 3), filteredVotes.Count);
        Assert.True(allVotes.Count > filteredVotes.Count);
    }

    [Fact]
    public async Task Queries_file_gives_one_json_object_per_line()
    {
        var file = _tmp.File("queries.txt");
        await File.WriteAllLinesAsync(file, ["diffusion", "", "reinforcement learning agents", "zzzqqqxxyy"]);
        var (code, output, err) = await Run("search", "--queries-file", file, "--json", "--top", "3");
        Assert.True(code == 0, err);
        var docs = JsonLines(output);
        Assert.Equal(3, docs.Length);
        Assert.Equal(["diffusion", "reinforcement learning agents", "zzzqqqxxyy"], docs.Select(d => d.GetProperty("query").GetString()!).ToArray());
        Assert.Equal(3, docs[0].GetProperty("results").GetArrayLength());
        Assert.Equal(0, docs[2].GetProperty("results").GetArrayLength());
        var score = docs[1].GetProperty("results")[0].GetProperty("score");
        Assert.Equal(JsonValueKind.Number, score.ValueKind);
    }

    [Fact]
    public async Task Show_prints_all_fields_and_unknown_ids_fail()
    {
        var (_, json, _) = await Run("search", "diffusion", "--json", "--top", "1", "--sort", "upvotes");
        var id = JsonLines(json)[0].GetProperty("results")[0].GetProperty("id").GetString()!;

        var (code, output, err) = await Run("show", id);
        Assert.True(code == 0, err);
        Assert.Matches($@"(?m)^id\s+{System.Text.RegularExpressions.Regex.Escape(id)}$", output);
        Assert.Matches(@"(?m)^title\s+\S", output);
        Assert.Matches(@"(?m)^upvotes\s+\d+", output);
        Assert.Contains("abstract:", output);

        var (jcode, jout, _) = await Run("show", id, "--json");
        Assert.Equal(0, jcode);
        var paper = JsonLines(jout).Single();
        Assert.Equal(id, paper.GetProperty("id").GetString());
        Assert.True(paper.TryGetProperty("links", out _));

        var (bad, badOut, badErr) = await Run("show", "9999.99999");
        Assert.NotEqual(0, bad);
        Assert.Equal("", badOut);
        Assert.Contains("no paper with id '9999.99999'", badErr);
    }

    [Fact]
    public async Task Related_lists_other_papers_and_never_the_paper_itself()
    {
        var (_, json, _) = await Run("search", "diffusion", "--json", "--top", "1");
        var id = JsonLines(json)[0].GetProperty("results")[0].GetProperty("id").GetString()!;
        var (code, output, err) = await Run("related", id, "--json", "--top", "5");
        Assert.True(code == 0, err);
        var results = JsonLines(output).Single().GetProperty("results").EnumerateArray().ToList();
        Assert.NotEmpty(results);
        Assert.DoesNotContain(results, r => r.GetProperty("id").GetString() == id);

        var (bad, _, badErr) = await Run("related", "no-such-paper");
        Assert.Equal(1, bad);
        Assert.Contains("no paper with id 'no-such-paper'", badErr);
    }

    [Fact]
    public async Task Trending_orders_by_upvotes_with_recency_tie_break_and_defaults_to_today()
    {
        // The window is anchored by --date; find a date with papers from the corpus itself.
        var (_, json, _) = await Run("search", "model", "--json", "--top", "1", "--sort", "date");
        var latest = DateOnly.Parse(JsonLines(json)[0].GetProperty("results")[0].GetProperty("published").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        var (code, output, err) = await Run("trending", "--date", latest.ToString("yyyy-MM-dd"), "--days", "30", "--top", "10", "--json");
        Assert.True(code == 0, err);
        var doc = JsonLines(output).Single();
        Assert.Equal(latest.AddDays(-29).ToString("yyyy-MM-dd"), doc.GetProperty("from").GetString());
        var results = doc.GetProperty("results").EnumerateArray().ToList();
        Assert.NotEmpty(results);
        var votes = results.Select(Upvotes).ToList();
        Assert.Equal(votes.OrderByDescending(v => v), votes);

        // Default date comes from the TimeProvider: far in the future nothing was featured in the last 7 days, so the
        // newest featured days in the database are shown instead, and the output says so.
        var future = new FakeTimeProvider(new DateTimeOffset(2090, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var (fcode, fout, _) = await RunWith(future, "trending", "--json");
        Assert.Equal(0, fcode);
        var f = JsonLines(fout).Single();
        Assert.True(f.GetProperty("fellBack").GetBoolean());
        Assert.Contains("from 2089-12-26 to 2090-01-01", f.GetProperty("notice").GetString());
        Assert.NotEqual("2090-01-01", f.GetProperty("to").GetString());
        Assert.NotEqual(0, f.GetProperty("results").GetArrayLength());

        var (tcode, table, _) = await Run("trending", "--date", latest.ToString("yyyy-MM-dd"), "--days", "30");
        Assert.Equal(0, tcode);
        Assert.Matches(@"(?m)^\s*#\s+upvotes\s+date\s+id\s+title", table);
    }

    [Fact]
    public async Task Bad_options_fail_with_a_message_and_exit_code_2()
    {
        var (code, _, err) = await Run("search", "x", "--sort", "random");
        Assert.Equal(2, code);
        Assert.Contains("--sort must be relevance, date or upvotes", err);

        (code, _, err) = await Run("search", "x", "--from", "2025-02-01", "--to", "2025-01-01");
        Assert.Equal(2, code);
        Assert.Contains("is after --to", err);

        (code, _, err) = await Run("search");
        Assert.Equal(2, code);
        Assert.Contains("missing query", err);

        (code, _, err) = await Run("search", "--queries-file", _tmp.File("missing.txt"), "--json");
        Assert.Equal(1, code);
        Assert.Contains("missing.txt", err);
    }

    [Fact]
    public async Task Eval_beir_prints_the_metrics_for_a_small_collection()
    {
        var corpus = _tmp.File("corpus.jsonl");
        await File.WriteAllLinesAsync(corpus,
        [
            """{"_id":"d1","title":"Aspirin and heart attacks","text":"Daily aspirin lowers the risk of heart attack."}""",
            """{"_id":"d2","title":"Vitamin D","text":"Vitamin D supplements do not prevent fractures."}""",
            """{"_id":"d3","title":"Sleep","text":"Short sleep is linked to obesity in children."}""",
        ]);
        var queries = _tmp.File("queries.tsv");
        await File.WriteAllLinesAsync(queries, ["q1\taspirin heart attack risk", "q2\tsleep and obesity", "q3\tunjudged query"]);
        var qrels = _tmp.File("qrels.txt");
        await File.WriteAllLinesAsync(qrels, ["q1 0 d1 1", "q2 0 d2 1", "q2 0 d3 1"]);

        var (code, output, err) = await Run("eval", "beir", corpus, queries, qrels, "--json", "--mode", "lexical");
        Assert.True(code == 0, err);
        var r = JsonLines(output).Single();
        Assert.Equal(3, r.GetProperty("documents").GetInt32());
        Assert.Equal(2, r.GetProperty("queries").GetInt32());
        // q1: d1 at rank 1 → 1. q2: d3 at rank 1, d2 not retrieved → 1 / (1 + 1/log2 3).
        var expected = (1 + 1 / (1 + 1 / Math.Log2(3))) / 2;
        Assert.Equal(Math.Round(expected, 4), r.GetProperty("ndcg_at_10").GetDouble(), 4);
        Assert.Equal(0.75, r.GetProperty("recall_at_100").GetDouble(), 4);
        Assert.Equal(1.0, r.GetProperty("mrr_at_10").GetDouble(), 4);

        Assert.Equal("lexical", r.GetProperty("mode").GetString());
        var (hcode, hybrid, herr) = await Run("eval", "beir", corpus, queries, qrels, "--json");
        Assert.True(hcode == 0, herr);
        var h = Assert.Single(JsonLines(hybrid));
        Assert.Equal("hybrid", h.GetProperty("mode").GetString()); // the default whenever embeddings are on
        Assert.InRange(h.GetProperty("ndcg_at_10").GetDouble(), 0, 1);

        var (tcode, table, _) = await Run("eval", "beir", corpus, queries, qrels, "--mode", "lexical");
        Assert.Equal(0, tcode);
        Assert.Matches(@"(?m)^nDCG@10\s+0\.\d{4}$", table);

        var (bad, _, badErr) = await Run("eval", "beir", _tmp.File("nope.jsonl"), queries, qrels);
        Assert.Equal(1, bad);
        Assert.Contains("nope.jsonl", badErr);
    }

    [Fact]
    public async Task Bench_search_runs_a_tiny_corpus_and_reports_json()
    {
        var (code, output, err) = await Run("bench", "search", "--sizes", "500", "--queries", "20", "--json", "--dir", _tmp.Path);
        Assert.True(code == 0, err);
        var r = JsonLines(output).Single().EnumerateArray().Single();
        Assert.Equal(500, r.GetProperty("papers").GetInt32());
        Assert.True(r.GetProperty("ingest_papers_per_s").GetDouble() > 0);
        Assert.Equal(20, r.GetProperty("query_ms").GetProperty("n").GetInt32());
        Assert.True(r.GetProperty("peak_rss_mb").GetDouble() > 10);
        Assert.Empty(Directory.GetDirectories(_tmp.Path, "paperbot-bench-*"));
    }
    [Fact]
    public async Task Hybrid_is_the_default_and_finds_papers_by_meaning_where_bm25_matches_everyday_words()
    {
        var (code, output, err) = await Run("search", "models that read chest radiographs", "--top", "3", "--json");
        Assert.True(code == 0, err);
        var hybrid = Assert.Single(JsonLines(output));
        Assert.Equal("hybrid", hybrid.GetProperty("mode").GetString());
        var titles = hybrid.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("title").GetString()!).ToList();
        Assert.All(titles.Take(2), t => Assert.Contains("Chest X-Ray", t, StringComparison.OrdinalIgnoreCase));

        (code, output, err) = await Run("search", "models that read chest radiographs", "--top", "3", "--json", "--mode", "lexical");
        Assert.True(code == 0, err);
        var lexical = Assert.Single(JsonLines(output));
        Assert.Equal("lexical", lexical.GetProperty("mode").GetString());
        // BM25 ranks a paper named "Read-ME" second only because it shares the word "read".
        Assert.Contains(lexical.GetProperty("results").EnumerateArray(), r => r.GetProperty("title").GetString()!.StartsWith("Read-ME", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Query_syntax_is_honoured_or_explained_in_one_line()
    {
        var (code, output, err) = await Run("search", "chest -llava title:x-ray", "--json");
        Assert.True(code == 0, err);
        var doc = Assert.Single(JsonLines(output));
        var titles = doc.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("title").GetString()!).ToList();
        Assert.NotEmpty(titles);
        Assert.All(titles, t => Assert.DoesNotContain("LLaVA", t));
        Assert.All(titles, t => Assert.Contains("X-ray", t, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(JsonValueKind.Null, doc.GetProperty("note").ValueKind);

        (code, _, err) = await Run("search", "venue:neurips diffusion");
        Assert.Equal(0, code);
        var note = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("note:", StringComparison.Ordinal));
        Assert.Contains("'venue:' is not a search field", note);
        Assert.Contains("title:word", note);

        (code, _, err) = await Run("search", "diffusion", "--mode", "fuzzy");
        Assert.Equal(2, code);
        Assert.Contains("--mode must be lexical, semantic or hybrid", err);
    }

    [Fact]
    public async Task Eval_questions_reports_recall_at_5_per_kind_for_lexical_and_hybrid()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "Fixtures", "questions.jsonl");
        foreach (var mode in new[] { "lexical", "hybrid" })
        {
            var (code, output, err) = await Run("eval", "questions", file, "--mode", mode, "--json");
            Assert.True(code == 0, err);
            var doc = Assert.Single(JsonLines(output));
            Assert.Equal(mode, doc.GetProperty("mode").GetString());
            Assert.Equal(2, doc.GetProperty("judged").GetInt32());
            var kinds = doc.GetProperty("kinds").EnumerateArray().ToDictionary(k => k.GetProperty("kind").GetString()!);
            Assert.Equal(["hard", "off_topic", "paraphrase"], kinds.Keys.Order());
            Assert.Equal(1.0, kinds["paraphrase"].GetProperty("recall").GetDouble());
            Assert.Equal(JsonValueKind.Null, kinds["off_topic"].GetProperty("recall").ValueKind);
            if (mode == "hybrid")
            {
                Assert.Equal(1.0, kinds["hard"].GetProperty("recall").GetDouble());
                // The off-topic question's best hit is far less relevant than the answerable ones'.
                Assert.True(kinds["off_topic"].GetProperty("top_relevance_max").GetDouble() < kinds["paraphrase"].GetProperty("top_relevance_min").GetDouble());
            }
        }

        var (bad, _, badErr) = await Run("eval", "questions", _tmp.File("missing.jsonl"));
        Assert.Equal(1, bad);
        Assert.Contains("cannot read questions", badErr);
    }
}
