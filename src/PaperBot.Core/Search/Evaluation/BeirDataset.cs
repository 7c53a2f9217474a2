using System.Globalization;
using System.IO.Compression;
using System.Text.Json;

namespace PaperBot.Core.Search.Evaluation;

public sealed record BeirDocument(string Id, string Title, string Text);

public sealed record BeirQuery(string Id, string Text);

/// <summary>
/// A BEIR-style test collection: corpus (JSONL: {"_id","title","text"}), queries (TSV "qid&lt;TAB&gt;text" or BEIR
/// queries.jsonl) and qrels (TREC "qid 0 docid grade" or BEIR TSV "query-id corpus-id score" with header).
/// Files ending in .gz are decompressed on the fly.
/// </summary>
public sealed class BeirDataset
{
    public required IReadOnlyList<BeirDocument> Corpus { get; init; }

    public required IReadOnlyList<BeirQuery> Queries { get; init; }

    /// <summary>qid → (docid → grade).</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Qrels { get; init; }

    public static BeirDataset Load(string corpusPath, string queriesPath, string qrelsPath) => new()
    {
        Corpus = ReadCorpus(corpusPath).ToList(),
        Queries = ReadQueries(queriesPath),
        Qrels = ReadQrels(qrelsPath),
    };

    public static IEnumerable<BeirDocument> ReadCorpus(string path)
    {
        var lineNo = 0;
        foreach (var line in ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            BeirDocument doc;
            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                var id = root.TryGetProperty("_id", out var idEl) ? ReadScalar(idEl) : null;
                if (string.IsNullOrEmpty(id))
                {
                    throw new InvalidDataException($"{path}:{lineNo}: corpus record has no \"_id\"");
                }

                doc = new BeirDocument(id, Str(root, "title"), Str(root, "text"));
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{path}:{lineNo}: not a JSON object: {ex.Message}", ex);
            }

            yield return doc;
        }
    }

    public static IReadOnlyList<BeirQuery> ReadQueries(string path)
    {
        var list = new List<BeirQuery>();
        var lineNo = 0;
        foreach (var line in ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (line.TrimStart().StartsWith('{'))
            {
                try
                {
                    using var json = JsonDocument.Parse(line);
                    var id = json.RootElement.TryGetProperty("_id", out var idEl) ? ReadScalar(idEl) : null;
                    if (string.IsNullOrEmpty(id))
                    {
                        throw new InvalidDataException($"{path}:{lineNo}: query record has no \"_id\"");
                    }

                    list.Add(new BeirQuery(id, Str(json.RootElement, "text")));
                }
                catch (JsonException ex)
                {
                    throw new InvalidDataException($"{path}:{lineNo}: not a JSON object: {ex.Message}", ex);
                }

                continue;
            }

            var tab = line.IndexOf('\t');
            if (tab <= 0)
            {
                throw new InvalidDataException($"{path}:{lineNo}: expected \"query-id<TAB>text\"");
            }

            list.Add(new BeirQuery(line[..tab].Trim(), line[(tab + 1)..]));
        }

        return list;
    }

    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ReadQrels(string path)
    {
        var map = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var lineNo = 0;
        foreach (var line in ReadLines(path))
        {
            lineNo++;
            var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }

            string qid, docId, gradeText;
            if (parts.Length == 4)
            {
                (qid, docId, gradeText) = (parts[0], parts[2], parts[3]); // TREC: qid iter docid grade
            }
            else if (parts.Length == 3)
            {
                (qid, docId, gradeText) = (parts[0], parts[1], parts[2]); // BEIR TSV: query-id corpus-id score
            }
            else
            {
                throw new InvalidDataException($"{path}:{lineNo}: expected \"qid 0 docid grade\" or \"qid docid grade\"");
            }

            if (!int.TryParse(gradeText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var grade))
            {
                if (lineNo == 1)
                {
                    continue; // a header line ("query-id corpus-id score")
                }

                throw new InvalidDataException($"{path}:{lineNo}: relevance grade '{gradeText}' is not a whole number");
            }

            if (!map.TryGetValue(qid, out var docs))
            {
                map[qid] = docs = new Dictionary<string, int>(StringComparer.Ordinal);
            }

            docs[docId] = grade;
        }

        return map.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, int>)kv.Value, StringComparer.Ordinal);
    }

    private static string Str(JsonElement root, string name) =>
        root.TryGetProperty(name, out var el) && el.ValueKind == JsonValueKind.String ? el.GetString() ?? "" : "";

    private static string? ReadScalar(JsonElement el) => el.ValueKind switch
    {
        JsonValueKind.String => el.GetString(),
        JsonValueKind.Number => el.GetRawText(),
        _ => null,
    };

    private static IEnumerable<string> ReadLines(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"file not found: {path}", path);
        }

        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }
}
