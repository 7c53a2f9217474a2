using System.Text;
using System.Text.Json;
using PaperBot.Core.Papers;

namespace PaperBot.Ingestion.Parsing;

/// <summary>
/// Parses the Hugging Face <c>api/daily_papers</c> JSON array, all schema eras (2024 legacy without ai_*; mid-2025 with
/// ai_summary/ai_keywords/githubStars; current with organization). Missing fields are normal and stay null.
/// Entries are read one at a time, so a bad entry is reported ("entry 7") and skipped, and a truncated file still yields
/// every entry before the damage.
/// </summary>
public static class HfDailyPapersJsonParser
{
    public const string SourceTag = "hf-api";

    /// <summary>True when the text is a JSON array whose first element has a "paper" object.</summary>
    public static bool LooksLike(string head)
    {
        var t = head.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (!t.StartsWith('['))
        {
            return false;
        }

        var firstObj = t.IndexOf('{');
        return firstObj > 0 && t.IndexOf("\"paper\"", firstObj, StringComparison.Ordinal) is var p && p > 0 && p < firstObj + 200;
    }

    public static ParseResult Parse(string json, string source, DateOnly? requestedDate = null)
    {
        var result = new ParseResult(IngestFormat.HfDailyPapersJson);
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var index = 0;
        var lineCounter = new LineCounter(bytes);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                result.Issues.Add(new IngestIssue(source, "line 1", "expected a JSON array of daily papers entries"));
                return result;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var line = lineCounter.LineAt((int)reader.TokenStartIndex);
                using var doc = JsonDocument.ParseValue(ref reader);
                try
                {
                    result.Papers.Add(MapEntry(doc.RootElement, requestedDate));
                }
                catch (FormatException ex)
                {
                    result.Issues.Add(new IngestIssue(source, $"entry {index} (line {line})", ex.Message));
                }

                index++;
            }
        }
        catch (JsonException ex)
        {
            result.Issues.Add(new IngestIssue(
                source,
                $"entry {index} (line {(ex.LineNumber ?? 0) + 1})",
                $"malformed or truncated JSON: {ex.Message.Split(" Path:")[0].TrimEnd('.')}; read {result.Papers.Count} entries before it"));
        }

        return result;
    }

    /// <summary>Maps one daily_papers entry (the outer object with "paper") or a bare paper object.</summary>
    public static Paper MapEntry(JsonElement entry, DateOnly? requestedDate = null)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"expected an object but found {entry.ValueKind}");
        }

        var p = entry.TryGetProperty("paper", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : entry;
        var rawId = Str(p, "id") ?? throw new FormatException("entry has no paper.id");
        var id = PaperId.NormalizeArxivId(rawId);
        var title = TextUtil.Unwrap(Str(entry, "title") ?? Str(p, "title"));
        if (title.Length == 0)
        {
            throw new FormatException($"paper {rawId} has no title");
        }

        var paper = new Paper
        {
            ArxivId = id,
            Title = title,
            Abstract = TextUtil.Unwrap(Str(p, "summary") ?? Str(entry, "summary")),
            Published = TextUtil.IsoDate(Str(p, "publishedAt")),
            FeaturedOn = TextUtil.IsoDate(Str(p, "submittedOnDailyAt")) ?? requestedDate ?? TextUtil.IsoDate(Str(entry, "publishedAt")),
            Upvotes = Int(p, "upvotes"),
            AiSummary = NullIfEmpty(TextUtil.Unwrap(Str(p, "ai_summary"))),
            GithubUrl = Str(p, "githubRepo"),
            GithubStars = Int(p, "githubStars"),
            ProjectPage = Str(p, "projectPage"),
            Organization = OrgName(p) ?? OrgName(entry),
            Sources = [SourceTag],
        };
        if (id is not null)
        {
            paper.ArxivUrl = TextUtil.ArxivAbs(id);
            paper.PdfUrl = TextUtil.ArxivPdf(id);
        }

        paper.HfUrl = TextUtil.HfPaper(id ?? rawId);
        if (p.TryGetProperty("authors", out var authors) && authors.ValueKind == JsonValueKind.Array)
        {
            foreach (var a in authors.EnumerateArray())
            {
                var name = a.ValueKind == JsonValueKind.String ? a.GetString() : Str(a, "name");
                if (!string.IsNullOrWhiteSpace(name))
                {
                    paper.Authors.Add(name.Trim());
                }
            }
        }

        if (p.TryGetProperty("ai_keywords", out var kws) && kws.ValueKind == JsonValueKind.Array)
        {
            paper.Keywords.AddRange(kws.EnumerateArray().Where(k => k.ValueKind == JsonValueKind.String).Select(k => k.GetString()!.Trim()).Where(k => k.Length > 0));
        }

        return paper;
    }

    private static string? OrgName(JsonElement e) =>
        e.TryGetProperty("organization", out var org) && org.ValueKind == JsonValueKind.Object
            ? NullIfEmpty(Str(org, "fullname")) ?? NullIfEmpty(Str(org, "name"))
            : null;

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>Line numbers for increasing byte offsets in one pass.</summary>
    private sealed class LineCounter(byte[] bytes)
    {
        private int _offset;
        private int _line = 1;

        public int LineAt(int offset)
        {
            for (; _offset < offset && _offset < bytes.Length; _offset++)
            {
                if (bytes[_offset] == (byte)'\n')
                {
                    _line++;
                }
            }

            return _line;
        }
    }
}
