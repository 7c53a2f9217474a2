namespace PaperBot.Ingestion.Parsing;

/// <summary>Detects an input's format from its content (the file name only breaks ties) and runs the right parser.</summary>
public static class PaperParsers
{
    public static IngestFormat Detect(string content, string? name = null)
    {
        var head = content.Length > 8192 ? content[..8192] : content;
        var trimmed = head.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (trimmed.Length == 0)
        {
            return IngestFormat.Unknown;
        }

        if (trimmed.StartsWith('<'))
        {
            return ArxivAtomParser.LooksLike(head) ? IngestFormat.ArxivAtom : IngestFormat.Unknown;
        }

        if (HfDailyPapersJsonParser.LooksLike(head))
        {
            return IngestFormat.HfDailyPapersJson;
        }

        if (JsonlPaperFormat.LooksLike(head))
        {
            return IngestFormat.Jsonl;
        }

        if (ArxivAtomParser.LooksLikeRecordedJson(head))
        {
            return IngestFormat.ArxivRecordedJson;
        }

        if (trimmed.StartsWith('[') || trimmed.StartsWith('{'))
        {
            // JSON we do not know; a ".jsonl" name still means our own format (every line gets checked and reported).
            return name?.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) == true ? IngestFormat.Jsonl : IngestFormat.Unknown;
        }

        if (HfPageTextParser.LooksLike(content))
        {
            return IngestFormat.HfPageText;
        }

        return name?.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) == true ? IngestFormat.HfPageText : IngestFormat.Unknown;
    }

    /// <summary>Parses <paramref name="content"/>; an undetectable format gives one issue and no papers.</summary>
    public static ParseResult Parse(string content, string source, DateOnly today, IngestFormat format = IngestFormat.Unknown)
    {
        if (format == IngestFormat.Unknown)
        {
            format = Detect(content, source);
        }

        switch (format)
        {
            case IngestFormat.HfPageText:
                return HfPageTextParser.Parse(content, source, today);
            case IngestFormat.HfDailyPapersJson:
                return HfDailyPapersJsonParser.Parse(content, source);
            case IngestFormat.ArxivAtom:
                return ArxivAtomParser.Parse(content, source);
            case IngestFormat.ArxivRecordedJson:
                return ArxivAtomParser.ParseRecordedJson(content, source);
            case IngestFormat.Jsonl:
                return JsonlPaperFormat.Parse(content, source);
            default:
                var unknown = new ParseResult(IngestFormat.Unknown);
                unknown.Issues.Add(new IngestIssue(source, "", "unrecognised format (expected HF page text, HF daily_papers JSON, arXiv Atom or PaperBot JSONL); skipped"));
                return unknown;
        }
    }
}
