using System.Runtime.InteropServices;
using System.Text;

namespace PaperBot.AI.Embeddings.Sample;

/// <summary>
/// Precomputed vectors of the bundled sample corpus (an embedded resource, written by
/// <c>paperbot embed --write-sample-vectors FILE</c>), so `demo` and a fresh `run` are hybrid from the first query
/// without running the model, and the offline answerer's sentence evidence needs no model run for sample papers. An
/// entry is used only for the same model key and the same text hash (sentence vectors also for the same sentence
/// splitter and sentences), so a paper whose text changed, or another model, is embedded normally.
/// <para>
/// Format (BinaryWriter, little-endian): the magic with its version, the model key, the dimensions, the paper count,
/// then per paper id, text hash, scale and int8 values. Version 2 adds the sentence section: the splitter version, the
/// paper count, then per paper id, text hash, sentences hash, sentence count and per sentence scale and int8 values.
/// Version 1 files (no sentence section) are still read; any other version is rejected.
/// </para>
/// </summary>
public sealed class SampleVectors
{
    public const string ResourceName = "PaperBot.AI.Embeddings.sample-vectors.bin";

    /// <summary>The format version <see cref="Write"/> writes.</summary>
    public const int FormatVersion = 2;

    private const string MagicPrefix = "paperbot-sample-vectors/";

    private readonly Dictionary<string, PaperEmbeddingRecord> _byId;
    private readonly Dictionary<string, PaperSentenceVectorsRecord> _sentences;

    public SampleVectors(string modelKey, IReadOnlyDictionary<string, PaperEmbeddingRecord> entries, IReadOnlyDictionary<string, PaperSentenceVectorsRecord>? sentences = null)
    {
        ModelKey = modelKey;
        _byId = new Dictionary<string, PaperEmbeddingRecord>(entries, StringComparer.OrdinalIgnoreCase);
        _sentences = sentences is null
            ? new Dictionary<string, PaperSentenceVectorsRecord>(StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, PaperSentenceVectorsRecord>(sentences, StringComparer.OrdinalIgnoreCase);
    }

    public string ModelKey { get; }

    public int Count => _byId.Count;

    /// <summary>Papers with precomputed sentence vectors.</summary>
    public int SentenceCount => _sentences.Count;

    public IEnumerable<string> Ids => _byId.Keys;

    public static SampleVectors Empty { get; } = new("", new Dictionary<string, PaperEmbeddingRecord>());

    /// <summary>The precomputed record of <paramref name="id"/>, whatever its text, or null.</summary>
    public PaperEmbeddingRecord? Record(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The precomputed record for a paper with this text under <paramref name="modelKey"/>, or null.</summary>
    public PaperEmbeddingRecord? Find(string id, string textHash, string modelKey) =>
        modelKey == ModelKey && _byId.TryGetValue(id, out var r) && r.TextHash == textHash ? r : null;

    /// <summary>
    /// The precomputed sentence vectors for a paper with this text under <paramref name="modelKey"/> and the current
    /// sentence splitter, or null (the caller still checks <see cref="PaperSentenceVectorsRecord.Fits"/> against the sentences).
    /// </summary>
    public PaperSentenceVectorsRecord? FindSentences(string id, string textHash, string modelKey) =>
        modelKey == ModelKey && _sentences.TryGetValue(id, out var r) && r.TextHash == textHash && r.Split == Offline.TextAnalysis.SentenceSplitVersion ? r : null;

    /// <summary>The vectors shipped in this assembly (empty when the resource is absent).</summary>
    public static SampleVectors LoadEmbedded()
    {
        using var s = typeof(SampleVectors).Assembly.GetManifestResourceStream(ResourceName);
        return s is null ? Empty : Read(s);
    }

    public static SampleVectors Read(Stream stream)
    {
        using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var magic = r.ReadString();
        if (!magic.StartsWith(MagicPrefix, StringComparison.Ordinal))
        {
            throw new InvalidDataException("not a PaperBot sample-vectors file");
        }

        var version = magic[MagicPrefix.Length..];
        if (version is not ("1" or "2"))
        {
            throw new InvalidDataException($"sample-vectors format version {version} is not supported (this build reads versions 1 to {FormatVersion}); rewrite the file with `paperbot embed --write-sample-vectors FILE`");
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
            var data = ReadExactly(r, dims);
            entries[id] = new PaperEmbeddingRecord { Model = model, Dimensions = dims, TextHash = hash, Quantized = true, Scale = scale, Data = data };
        }

        var sentences = new Dictionary<string, PaperSentenceVectorsRecord>(StringComparer.OrdinalIgnoreCase);
        if (version == "2")
        {
            var split = r.ReadInt32();
            var papers = r.ReadInt32();
            for (var i = 0; i < papers; i++)
            {
                var id = r.ReadString();
                var hash = r.ReadString();
                var sentencesHash = r.ReadString();
                var n = r.ReadInt32();
                var scales = new float[n];
                var data = new byte[n * dims];
                for (var j = 0; j < n; j++)
                {
                    scales[j] = r.ReadSingle();
                    ReadExactly(r, dims).CopyTo(data, j * dims);
                }

                sentences[id] = new PaperSentenceVectorsRecord
                {
                    Model = model, TextHash = hash, Split = split, SentencesHash = sentencesHash, Dimensions = dims, Scales = scales, Data = data,
                };
            }
        }

        return new SampleVectors(model, entries, sentences);
    }

    public static void Write(Stream stream, string modelKey, IEnumerable<(string Id, PaperEmbeddingRecord Record)> entries,
        IEnumerable<(string Id, PaperSentenceVectorsRecord Record)>? sentences = null)
    {
        var list = entries.OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
        if (list.Any(e => !e.Record.Quantized))
        {
            throw new ArgumentException("sample vectors are stored as int8");
        }

        var dims = list.Count == 0 ? 0 : list[0].Record.Dimensions;
        var sentenceList = (sentences ?? []).OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
        if (sentenceList.Any(e => (e.Record.Count > 0 && e.Record.Dimensions != dims) || e.Record.Split != Offline.TextAnalysis.SentenceSplitVersion))
        {
            throw new ArgumentException("sentence vectors must have the papers' dimensions and the current sentence splitter");
        }

        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(MagicPrefix + FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        w.Write(modelKey);
        w.Write(dims);
        w.Write(list.Count);
        foreach (var (id, rec) in list)
        {
            w.Write(id);
            w.Write(rec.TextHash);
            w.Write(rec.Scale);
            w.Write(rec.Data);
        }

        w.Write(Offline.TextAnalysis.SentenceSplitVersion);
        w.Write(sentenceList.Count);
        foreach (var (id, rec) in sentenceList)
        {
            w.Write(id);
            w.Write(rec.TextHash);
            w.Write(rec.SentencesHash);
            w.Write(rec.Count);
            for (var j = 0; j < rec.Count; j++)
            {
                w.Write(rec.Scales[j]);
                w.Write(rec.Data, j * dims, dims);
            }
        }
    }

    private static byte[] ReadExactly(BinaryReader r, int count)
    {
        var data = r.ReadBytes(count);
        return data.Length == count ? data : throw new EndOfStreamException("truncated sample-vectors file");
    }

    /// <summary>The int8 values of an entry (tests).</summary>
    public static ReadOnlySpan<sbyte> Values(PaperEmbeddingRecord r) => MemoryMarshal.Cast<byte, sbyte>(r.Data);
}

/// <summary>Computes the sample's vectors (the maintainer's command behind the embedded resource).</summary>
public static class SampleVectorsBuilder
{
    /// <summary>Papers per model call (their sentences share one call too).</summary>
    public const int BatchSize = 32;

    public static async Task<int> WriteAsync(IReadOnlyCollection<PaperBot.Core.Papers.Paper> papers, Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>> generator,
        string modelKey, Stream output, IProgress<PaperBot.Core.Progress.WorkProgress>? progress, CancellationToken ct)
    {
        var entries = new List<(string, PaperEmbeddingRecord)>(papers.Count);
        var sentences = new List<(string, PaperSentenceVectorsRecord)>(papers.Count);
        foreach (var batch in papers.Chunk(BatchSize))
        {
            var texts = batch.Select(PaperEmbeddings.TextOf).ToList();
            var vectors = await generator.GenerateAsync(texts, cancellationToken: ct).ConfigureAwait(false);
            var perSentence = await PaperSentenceVectorsRecord.EmbedAsync(generator, batch, modelKey, ct).ConfigureAwait(false);
            for (var i = 0; i < batch.Length; i++)
            {
                entries.Add((batch[i].Id, PaperEmbeddingRecord.From(vectors[i].Vector.Span, modelKey, 0, PaperEmbeddingRecord.HashOf(texts[i]), quantize: true)));
                sentences.Add((batch[i].Id, perSentence[i]));
            }

            progress?.Report(new PaperBot.Core.Progress.WorkProgress("embedding the sample", entries.Count, papers.Count));
        }

        SampleVectors.Write(output, modelKey, entries, sentences);
        return entries.Count;
    }
}
