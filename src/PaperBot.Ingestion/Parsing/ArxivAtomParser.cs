using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using PaperBot.Core.Papers;

namespace PaperBot.Ingestion.Parsing;

/// <summary>
/// Parses arXiv API Atom feeds in both the classic format (namespaces declared per element, hard-wrapped titles and
/// abstracts, -04:00 offsets) and the 2026 format (namespaces on &lt;feed&gt;, unwrapped text, https ids). Versions are
/// stripped from ids. Entries are streamed, so a broken entry is reported by its index and line and a truncated feed
/// still yields the entries before the damage. Also reads the arxiv.py recording wrapper {url, status_code, body}.
/// </summary>
public static class ArxivAtomParser
{
    public const string SourceTag = "arxiv";
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace ArxivNs = "http://arxiv.org/schemas/atom";

    public static bool LooksLike(string head) =>
        head.Contains("<feed", StringComparison.Ordinal) && head.Contains("http://www.w3.org/2005/Atom", StringComparison.Ordinal);

    /// <summary>True for the arxiv.py recording wrapper: a JSON object with a "body" string holding Atom.</summary>
    public static bool LooksLikeRecordedJson(string head)
    {
        var t = head.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return t.StartsWith('{') && t.Contains("\"body\"", StringComparison.Ordinal) &&
               (t.Contains("<feed", StringComparison.Ordinal) || t.Contains("arxiv.org/api", StringComparison.Ordinal));
    }

    public static ParseResult ParseRecordedJson(string json, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("body", out var body) || body.ValueKind != JsonValueKind.String)
            {
                var r = new ParseResult(IngestFormat.ArxivRecordedJson);
                r.Issues.Add(new IngestIssue(source, "line 1", "expected a JSON object with a \"body\" string holding an arXiv Atom feed"));
                return r;
            }

            if (root.TryGetProperty("status_code", out var status) && status.ValueKind == JsonValueKind.Number && status.GetInt32() != 200)
            {
                var r = new ParseResult(IngestFormat.ArxivRecordedJson);
                r.Issues.Add(new IngestIssue(source, "status_code", $"recorded response has HTTP status {status.GetInt32()}, not 200; skipped"));
                return r;
            }

            var inner = Parse(body.GetString()!, source + "#body");
            var result = new ParseResult(IngestFormat.ArxivRecordedJson);
            result.Papers.AddRange(inner.Papers);
            result.Issues.AddRange(inner.Issues);
            return result;
        }
        catch (JsonException ex)
        {
            var r = new ParseResult(IngestFormat.ArxivRecordedJson);
            r.Issues.Add(new IngestIssue(source, $"line {(ex.LineNumber ?? 0) + 1}", $"malformed or truncated JSON: {ex.Message.Split(" Path:")[0].TrimEnd('.')}"));
            return r;
        }
    }

    public static ParseResult Parse(string xml, string source)
    {
        var result = new ParseResult(IngestFormat.ArxivAtom);
        var index = 0;
        var line = 0;
        try
        {
            using var sr = new StringReader(xml);
            using var reader = XmlReader.Create(sr, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreComments = true, XmlResolver = null });
            var info = (IXmlLineInfo)reader;
            reader.MoveToContent();
            if (reader.LocalName != "feed")
            {
                result.Issues.Add(new IngestIssue(source, $"line {info.LineNumber}", $"expected an Atom <feed> but found <{reader.LocalName}>"));
                return result;
            }

            reader.Read();
            while (!reader.EOF)
            {
                if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "entry" || reader.NamespaceURI != Atom.NamespaceName)
                {
                    reader.Read();
                    continue;
                }

                line = info.LineNumber;
                var entry = (XElement)XNode.ReadFrom(reader);
                try
                {
                    result.Papers.Add(MapEntry(entry));
                }
                catch (FormatException ex)
                {
                    result.Issues.Add(new IngestIssue(source, $"entry {index} (line {line})", ex.Message));
                }

                index++;
            }
        }
        catch (XmlException ex)
        {
            result.Issues.Add(new IngestIssue(
                source,
                $"entry {index} (line {ex.LineNumber})",
                $"malformed or truncated XML: {ex.Message}; read {result.Papers.Count} entries before it"));
        }

        return result;
    }

    public static Paper MapEntry(XElement entry)
    {
        var rawId = entry.Element(Atom + "id")?.Value.Trim();
        var id = PaperId.NormalizeArxivId(rawId);
        var title = TextUtil.Unwrap(entry.Element(Atom + "title")?.Value);
        if (id is null)
        {
            // The API reports errors as a single entry whose id is .../api/errors#...
            var summary = TextUtil.Unwrap(entry.Element(Atom + "summary")?.Value);
            throw new FormatException(rawId?.Contains("/api/errors", StringComparison.Ordinal) == true
                ? $"arXiv API error: {summary}"
                : $"entry has no arXiv id (id '{rawId}')");
        }

        if (title.Length == 0)
        {
            throw new FormatException($"entry {id} has no title");
        }

        var p = new Paper
        {
            ArxivId = id,
            Title = title,
            Abstract = TextUtil.Unwrap(entry.Element(Atom + "summary")?.Value),
            Published = TextUtil.IsoDate(entry.Element(Atom + "published")?.Value),
            ArxivUrl = TextUtil.ArxivAbs(id),
            Sources = [SourceTag],
        };
        p.Authors.AddRange(entry.Elements(Atom + "author")
            .Select(a => TextUtil.Unwrap(a.Element(Atom + "name")?.Value))
            .Where(n => n.Length > 0));
        var pdf = entry.Elements(Atom + "link").FirstOrDefault(l =>
            (string?)l.Attribute("title") == "pdf" || (string?)l.Attribute("type") == "application/pdf");
        p.PdfUrl = PdfUrl((string?)pdf?.Attribute("href"), id);
        var primary = (string?)entry.Element(ArxivNs + "primary_category")?.Attribute("term");
        if (!string.IsNullOrWhiteSpace(primary))
        {
            p.Categories.Add(primary.Trim());
        }

        foreach (var c in entry.Elements(Atom + "category"))
        {
            var term = ((string?)c.Attribute("term"))?.Trim();
            if (!string.IsNullOrEmpty(term) && !p.Categories.Contains(term))
            {
                p.Categories.Add(term);
            }
        }

        return p;
    }

    /// <summary>The version-less https PDF link (the feed's link carries a version and sometimes http).</summary>
    private static string PdfUrl(string? href, string id) =>
        href is not null && PaperId.NormalizeArxivId(href) == id ? TextUtil.ArxivPdf(id) : href ?? TextUtil.ArxivPdf(id);
}
