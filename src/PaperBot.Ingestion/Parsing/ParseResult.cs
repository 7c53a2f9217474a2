using PaperBot.Core.Papers;

namespace PaperBot.Ingestion.Parsing;

/// <summary>A record that could not be ingested: where it is (file and line/entry) and why. It is skipped; the rest goes on.</summary>
public sealed record IngestIssue(string Source, string Position, string Message)
{
    public override string ToString() => string.IsNullOrEmpty(Position) ? $"{Source}: {Message}" : $"{Source}:{Position}: {Message}";
}

/// <summary>What a parser got out of one input: the papers and the records it had to skip.</summary>
public sealed class ParseResult
{
    public ParseResult(IngestFormat format)
    {
        Format = format;
    }

    public IngestFormat Format { get; }

    public List<Paper> Papers { get; } = [];

    public List<IngestIssue> Issues { get; } = [];
}

/// <summary>The input formats PaperBot reads.</summary>
public enum IngestFormat
{
    Unknown,

    /// <summary>Text copied from a Hugging Face papers page (see SampleCorpus).</summary>
    HfPageText,

    /// <summary>JSON array from GET https://huggingface.co/api/daily_papers.</summary>
    HfDailyPapersJson,

    /// <summary>Atom feed from the arXiv API (export.arxiv.org/api/query), classic or 2026 format.</summary>
    ArxivAtom,

    /// <summary>A recorded HTTP response {url, status_code, body} whose body is arXiv Atom (arxiv.py test fixtures).</summary>
    ArxivRecordedJson,

    /// <summary>PaperBot's own JSON Lines export: one Paper per line.</summary>
    Jsonl,
}
