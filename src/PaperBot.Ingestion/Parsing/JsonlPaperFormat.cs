using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using PaperBot.Core.Papers;

namespace PaperBot.Ingestion.Parsing;

/// <summary>
/// PaperBot's own JSON Lines format: one <see cref="Paper"/> per line (camelCase, dates as yyyy-MM-dd, nulls omitted,
/// no store revision). <see cref="Write"/> exports, <see cref="Parse"/> imports; a bad line is reported by number and skipped.
/// </summary>
public static class JsonlPaperFormat
{
    public const string SourceTag = "jsonl";

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver
        {
            Modifiers =
            {
                ti =>
                {
                    if (ti.Type == typeof(Paper))
                    {
                        var rev = ti.Properties.FirstOrDefault(p => p.Name == "revision");
                        if (rev is not null)
                        {
                            ti.Properties.Remove(rev);
                        }
                    }
                },
            },
        },
    };

    /// <summary>True when the first non-blank line is a complete JSON object with a "title".</summary>
    public static bool LooksLike(string head)
    {
        using var sr = new StringReader(head);
        string? line;
        while ((line = sr.ReadLine()) is not null)
        {
            var t = line.Trim().TrimStart('\uFEFF');
            if (t.Length == 0)
            {
                continue;
            }

            if (!t.StartsWith('{') || !t.EndsWith('}'))
            {
                return false;
            }

            try
            {
                using var doc = JsonDocument.Parse(t);
                return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("title", out _);
            }
            catch (JsonException)
            {
                return false;
            }
        }

        return false;
    }

    public static void Write(IEnumerable<Paper> papers, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(papers);
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var p in papers)
        {
            writer.Write(JsonSerializer.Serialize(p, Options));
            writer.Write('\n');
        }
    }

    public static ParseResult Parse(string text, string source)
    {
        var result = new ParseResult(IngestFormat.Jsonl);
        using var sr = new StringReader(text);
        string? line;
        var n = 0;
        while ((line = sr.ReadLine()) is not null)
        {
            n++;
            var t = line.Trim().TrimStart('\uFEFF');
            if (t.Length == 0)
            {
                continue;
            }

            try
            {
                var p = JsonSerializer.Deserialize<Paper>(t, Options);
                if (p is null || string.IsNullOrWhiteSpace(p.Title))
                {
                    result.Issues.Add(new IngestIssue(source, $"line {n}", "record has no title; skipped"));
                    continue;
                }

                p.Revision = 0;
                if (p.Sources.Count == 0)
                {
                    p.Sources.Add(SourceTag);
                }

                result.Papers.Add(p);
            }
            catch (JsonException ex)
            {
                result.Issues.Add(new IngestIssue(source, $"line {n}", $"malformed JSON record: {ex.Message.Split(" Path:")[0].TrimEnd('.')}; skipped"));
            }
        }

        return result;
    }
}
