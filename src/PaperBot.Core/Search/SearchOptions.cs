using System.ComponentModel.DataAnnotations;
using PaperBot.Core.Search.Indexing;
using PaperBot.Core.Search.Ranking;

namespace PaperBot.Core.Search;

/// <summary>Configuration section "Search": where the Lucene index lives and how BM25 scores.</summary>
public sealed class SearchOptions
{
    public const string SectionName = "Search";

    /// <summary>IndexPath value for an index kept in memory only (rebuilt from the database at each start).</summary>
    public const string InMemory = ":memory:";

    /// <summary>The database path setting the default index path is derived from.</summary>
    public const string DatabasePathKey = "Storage:DatabasePath";

    /// <summary>The storage provider key ("postgres": the index defaults to memory, one per process).</summary>
    public const string ProviderKey = "Storage:Provider";

    /// <summary>
    /// The index directory. Empty = next to the database: "&lt;Storage:DatabasePath&gt;.index".
    /// It is derived data: delete it any time and it is rebuilt from the database.
    /// </summary>
    public string? IndexPath { get; set; }

    /// <summary>BM25 k1 (term-frequency saturation).</summary>
    [Range(0.0, 10.0, ErrorMessage = "Search:K1 must be between 0 and 10 (BM25 term-frequency saturation; default 1.2).")]
    public float K1 { get; set; } = DefaultIndexSettings.K1;

    /// <summary>BM25 b (length normalisation).</summary>
    [Range(0.0, 1.0, ErrorMessage = "Search:B must be between 0 and 1 (BM25 length normalisation; default 0.75).")]
    public float B { get; set; } = DefaultIndexSettings.B;

    /// <summary>Extra weight of query terms found in the title.</summary>
    [Range(0.0, 100.0, ErrorMessage = "Search:TitleBoost must be between 0 and 100.")]
    public float TitleBoost { get; set; } = DefaultIndexSettings.TitleBoost;

    /// <summary>IndexWriter RAM buffer in MB.</summary>
    [Range(1.0, 2048.0, ErrorMessage = "Search:RamBufferMb must be between 1 and 2048.")]
    public double RamBufferMb { get; set; } = DefaultIndexSettings.RamBufferMb;

    /// <summary>Default retrieval: auto (hybrid when vectors exist, else lexical) | lexical | semantic | hybrid.</summary>
    public SearchMode Mode { get; set; } = SearchMode.Auto;

    /// <summary>How the BM25 and embedding lists are fused: rrf (reciprocal rank) or relevance (calibrated score).</summary>
    public FusionMethod Fusion { get; set; } = FusionMethod.Relevance;

    /// <summary>Reciprocal-rank-fusion constant k.</summary>
    [Range(1, 1000, ErrorMessage = "Search:RrfK must be between 1 and 1000 (default 60).")]
    public int RrfK { get; set; } = 60;

    /// <summary>Candidates taken from each retriever before fusion (and before a date/upvote sort).</summary>
    [Range(10, 10000, ErrorMessage = "Search:Candidates must be between 10 and 10000 (default 100).")]
    public int Candidates { get; set; } = 100;

    /// <summary>A date or upvote sort keeps only hits with at least this relevance (0..1).</summary>
    [Range(0.0, 1.0, ErrorMessage = "Search:RelevanceFloor must be between 0 and 1.")]
    public double RelevanceFloor { get; set; } = RelevanceModel.SortFloor;

    /// <summary>The default index location for a database file: "&lt;db&gt;.index" (in memory for an in-memory database).</summary>
    public static string DefaultIndexPathFor(string? databasePath) =>
        string.IsNullOrWhiteSpace(databasePath) || databasePath.Trim() == InMemory ? InMemory : databasePath.Trim() + ".index";

    /// <summary>The tuned defaults (see README.md, "Testing and benchmarks" for how they were chosen).</summary>
    public static PaperIndexSettings DefaultIndexSettings { get; } = PaperIndexSettings.Default;

    public PaperIndexSettings ToIndexSettings() => new() { K1 = K1, B = B, TitleBoost = TitleBoost, RamBufferMb = RamBufferMb };
}
