using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using PaperBot.Core.Papers;

namespace PaperBot.Ingestion.Parsing;

/// <summary>One JSONL record: a paper or the reason it was skipped, and the bytes of the file read so far.</summary>
public sealed record JsonlRecord(Paper? Paper, IngestIssue? Issue, long BytesRead, string Position = "");

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

    /// <summary>
    /// Streams the records of a JSON Lines file: one line in memory at a time, decoded straight from UTF-8, so memory
    /// stays flat whatever the file size. A line over <paramref name="maxRecordBytes"/> is skipped unread (reported
    /// with its line number), as is a malformed or untitled one.
    /// </summary>
    public static IEnumerable<JsonlRecord> Read(Stream stream, string source, int maxRecordBytes)
    {
        var buffer = new byte[1 << 20];
        var line = new ArrayBufferWriter(1 << 16);
        var lineNo = 0;
        var skipping = false;
        long consumed = 0;
        int read;
        var bomChecked = false;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var pos = 0;
            if (!bomChecked)
            {
                bomChecked = true;
                if (buffer.AsSpan(0, read).StartsWith("\uFEFF"u8))
                {
                    pos = 3;
                    consumed += 3;
                }
            }

            while (pos < read)
            {
                var nl = buffer.AsSpan(pos, read - pos).IndexOf((byte)'\n');
                var partLength = nl >= 0 ? nl : read - pos;
                if (!skipping)
                {
                    if (line.Length + partLength > maxRecordBytes)
                    {
                        skipping = true;
                        line.Clear();
                    }
                    else
                    {
                        line.Write(buffer.AsSpan(pos, partLength));
                    }
                }

                if (nl < 0)
                {
                    consumed += partLength;
                    break;
                }

                consumed += nl + 1;
                pos += nl + 1;
                lineNo++;
                JsonlRecord? record;
                if (skipping)
                {
                    skipping = false;
                    record = new JsonlRecord(null, new IngestIssue(source, $"line {lineNo}", $"record is over {maxRecordBytes / (1024 * 1024)} MB (Ingestion:MaxRecordBytes); skipped unread"), consumed);
                }
                else
                {
                    record = Decode(line.Span, source, lineNo);
                }

                line.Clear();
                if (record is not null)
                {
                    yield return record with { BytesRead = consumed };
                }
            }
        }

        if (skipping)
        {
            yield return new JsonlRecord(null, new IngestIssue(source, $"line {lineNo + 1}", $"record is over {maxRecordBytes / (1024 * 1024)} MB (Ingestion:MaxRecordBytes); skipped unread"), consumed);
        }
        else if (line.Length > 0 && Decode(line.Span, source, lineNo + 1) is { } last)
        {
            yield return last with { BytesRead = consumed };
        }
    }

    private static JsonlRecord? Decode(ReadOnlySpan<byte> line, string source, int lineNo)
    {
        var t = line.TrimEnd("\r"u8).Trim(" \t"u8);
        if (t.Length == 0)
        {
            return null;
        }

        try
        {
            var p = JsonSerializer.Deserialize<Paper>(t, Options);
            if (p is null || string.IsNullOrWhiteSpace(p.Title))
            {
                return new JsonlRecord(null, new IngestIssue(source, $"line {lineNo}", "record has no title; skipped"), 0);
            }

            p.Revision = 0;
            p.Sources ??= [];
            if (p.Sources.Count == 0)
            {
                p.Sources.Add(SourceTag);
            }

            return new JsonlRecord(p, null, 0, $"line {lineNo}");
        }
        catch (JsonException ex)
        {
            return new JsonlRecord(null, new IngestIssue(source, $"line {lineNo}", $"malformed JSON record: {ex.Message.Split(" Path:")[0].TrimEnd('.')}; skipped"), 0);
        }
    }

    /// <summary>A growable byte buffer for one line.</summary>
    private sealed class ArrayBufferWriter(int initial)
    {
        private byte[] _data = new byte[initial];

        public int Length { get; private set; }

        public ReadOnlySpan<byte> Span => _data.AsSpan(0, Length);

        public void Write(ReadOnlySpan<byte> bytes)
        {
            if (Length + bytes.Length > _data.Length)
            {
                Array.Resize(ref _data, Math.Max(_data.Length * 2, Length + bytes.Length));
            }

            bytes.CopyTo(_data.AsSpan(Length));
            Length += bytes.Length;
        }

        public void Clear()
        {
            Length = 0;
            if (_data.Length > 1 << 22)
            {
                _data = new byte[1 << 16]; // do not keep a huge line's buffer
            }
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
