using System.Runtime.InteropServices;
using System.Text;

namespace PaperBot.AI.Embeddings.Sample;

/// <summary>
/// Precomputed vectors of the bundled sample corpus (an embedded resource, written by
/// <c>paperbot embed --write-sample-vectors FILE</c>), so `demo` and a fresh `run` are hybrid from the first query
/// without running the model. An entry is used only for the same model key and the same text hash, so a paper whose
/// text changed, or another model, is embedded normally.
/// </summary>
public sealed class SampleVectors
{
    public const string ResourceName = "PaperBot.AI.Embeddings.sample-vectors.bin";

    private const string Magic = "paperbot-sample-vectors/1";

    private readonly Dictionary<string, PaperEmbeddingRecord> _byId;

    public SampleVectors(string modelKey, IReadOnlyDictionary<string, PaperEmbeddingRecord> entries)
    {
        ModelKey = modelKey;
        _byId = new Dictionary<string, PaperEmbeddingRecord>(entries, StringComparer.OrdinalIgnoreCase);
    }

    public string ModelKey { get; }

    public int Count => _byId.Count;

    public IEnumerable<string> Ids => _byId.Keys;

    public static SampleVectors Empty { get; } = new("", new Dictionary<string, PaperEmbeddingRecord>());

    /// <summary>The precomputed record of <paramref name="id"/>, whatever its text, or null.</summary>
    public PaperEmbeddingRecord? Record(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The precomputed record for a paper with this text under <paramref name="modelKey"/>, or null.</summary>
    public PaperEmbeddingRecord? Find(string id, string textHash, string modelKey) =>
        modelKey == ModelKey && _byId.TryGetValue(id, out var r) && r.TextHash == textHash ? r : null;

    /// <summary>The vectors shipped in this assembly (empty when the resource is absent).</summary>
    public static SampleVectors LoadEmbedded()
    {
        using var s = typeof(SampleVectors).Assembly.GetManifestResourceStream(ResourceName);
        return s is null ? Empty : Read(s);
    }

    public static SampleVectors Read(Stream stream)
    {
        using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (r.ReadString() != Magic)
        {
            throw new InvalidDataException("not a PaperBot sample-vectors file");
        }

        var model = r.ReadString();
        var dims = r.ReadInt32();
        var count = r.ReadInt32();
        var entries = new Dictionary<string, PaperEmbeddingRecord>(count, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < count; i++)
        {
            var id = r.ReadString();
            var hash = r.ReadString();
            var scale = r.ReadSingle();
            var data = r.ReadBytes(dims);
            entries[id] = new PaperEmbeddingRecord { Model = model, Dimensions = dims, TextHash = hash, Quantized = true, Scale = scale, Data = data };
        }

        return new SampleVectors(model, entries);
    }

    public static void Write(Stream stream, string modelKey, IEnumerable<(string Id, PaperEmbeddingRecord Record)> entries)
    {
        var list = entries.OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
        if (list.Any(e => !e.Record.Quantized))
        {
            throw new ArgumentException("sample vectors are stored as int8");
        }

        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(modelKey);
        var dims = list.Count == 0 ? 0 : list[0].Record.Dimensions;
        w.Write(dims);
        w.Write(list.Count);
        foreach (var (id, rec) in list)
        {
            w.Write(id);
            w.Write(rec.TextHash);
            w.Write(rec.Scale);
            w.Write(rec.Data);
        }
    }

    /// <summary>The int8 values of an entry (tests).</summary>
    public static ReadOnlySpan<sbyte> Values(PaperEmbeddingRecord r) => MemoryMarshal.Cast<byte, sbyte>(r.Data);
}

/// <summary>Computes the sample's vectors (the maintainer's command behind the embedded resource).</summary>
public static class SampleVectorsBuilder
{
    public static async Task<int> WriteAsync(IReadOnlyCollection<PaperBot.Core.Papers.Paper> papers, Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>> generator,
        string modelKey, Stream output, IProgress<PaperBot.Core.Progress.WorkProgress>? progress, CancellationToken ct)
    {
        var entries = new List<(string, PaperEmbeddingRecord)>(papers.Count);
        foreach (var batch in papers.Chunk(32))
        {
            var texts = batch.Select(PaperEmbeddings.TextOf).ToList();
            var vectors = await generator.GenerateAsync(texts, cancellationToken: ct).ConfigureAwait(false);
            for (var i = 0; i < batch.Length; i++)
            {
                entries.Add((batch[i].Id, PaperEmbeddingRecord.From(vectors[i].Vector.Span, modelKey, 0, PaperEmbeddingRecord.HashOf(texts[i]), quantize: true)));
            }

            progress?.Report(new PaperBot.Core.Progress.WorkProgress("embedding the sample", entries.Count, papers.Count));
        }

        SampleVectors.Write(output, modelKey, entries);
        return entries.Count;
    }
}
