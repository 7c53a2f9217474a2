using System.Runtime.InteropServices;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;
using PaperBot.AI.Offline;
using PaperBot.Core.Papers;

namespace PaperBot.AI.Embeddings;

/// <summary>
/// The vectors of a paper's abstract sentences (<see cref="AnalysedPaper.Sentences"/>), stored apart from the paper
/// vector (its own record collection, keyed by paper id) so that loading the paper vectors at start-up never reads
/// them. int8 like the paper vectors: one scale per sentence, <see cref="Dimensions"/> bytes per sentence in
/// <see cref="Data"/>. Valid only for the same model key, the same title + abstract (<see cref="TextHash"/>), the same
/// sentence splitter (<see cref="Split"/>) and the same sentences (<see cref="SentencesHash"/>, which also catches a
/// splitter change whose version was not bumped); otherwise the sentences are embedded again.
/// </summary>
public sealed class PaperSentenceVectorsRecord
{
    public string Model { get; set; } = "";

    /// <summary>Hash of the paper's embedded text (<see cref="PaperEmbeddings.TextOf"/>), as in <see cref="PaperEmbeddingRecord.TextHash"/>.</summary>
    public string TextHash { get; set; } = "";

    /// <summary>The sentence splitter's version (<see cref="TextAnalysis.SentenceSplitVersion"/>) when embedded.</summary>
    public int Split { get; set; }

    /// <summary>Hash of the sentences embedded (in order).</summary>
    public string SentencesHash { get; set; } = "";

    public int Dimensions { get; set; }

    /// <summary>One int8 scale per sentence.</summary>
    public float[] Scales { get; set; } = [];

    /// <summary>The sentences' int8 values, sentence after sentence.</summary>
    public byte[] Data { get; set; } = [];

    [JsonIgnore]
    public int Count => Scales.Length;

    /// <summary>The sentences whose vectors these are: <see cref="AnalysedPaper.Sentences"/> of the paper.</summary>
    public static IReadOnlyList<string> SentencesOf(Paper paper) => AnalysedPaper.Of(paper).Sentences;

    public static string HashOfSentences(IReadOnlyList<string> sentences) => PaperEmbeddingRecord.HashOf(string.Join('\n', sentences));

    /// <summary>True when these are the vectors of exactly <paramref name="sentences"/> of that text under that model.</summary>
    public bool Fits(string model, string textHash, IReadOnlyList<string> sentences) =>
        Model == model && TextHash == textHash && Split == TextAnalysis.SentenceSplitVersion && Count == sentences.Count
        && Data.Length == Count * Dimensions && SentencesHash == HashOfSentences(sentences);

    /// <summary>Quantises one model vector per sentence (any norm) into a record.</summary>
    public static PaperSentenceVectorsRecord From(IReadOnlyList<ReadOnlyMemory<float>> vectors, IReadOnlyList<string> sentences, string model, string textHash)
    {
        if (vectors.Count != sentences.Count)
        {
            throw new ArgumentException($"{vectors.Count} vector(s) for {sentences.Count} sentence(s)", nameof(vectors));
        }

        var dims = vectors.Count == 0 ? 0 : vectors[0].Length;
        var scales = new float[vectors.Count];
        var data = new sbyte[vectors.Count * dims];
        for (var i = 0; i < vectors.Count; i++)
        {
            if (vectors[i].Length != dims)
            {
                throw new ArgumentException("sentence vectors of different sizes", nameof(vectors));
            }

            scales[i] = VectorIndex.Quantize(vectors[i].Span, data.AsSpan(i * dims, dims));
        }

        return new PaperSentenceVectorsRecord
        {
            Model = model,
            TextHash = textHash,
            Split = TextAnalysis.SentenceSplitVersion,
            SentencesHash = HashOfSentences(sentences),
            Dimensions = dims,
            Scales = scales,
            Data = MemoryMarshal.AsBytes(data.AsSpan()).ToArray(),
        };
    }

    /// <summary>The (unit, up to int8 rounding) vector of each sentence, in sentence order.</summary>
    public float[][] ToVectors()
    {
        var values = MemoryMarshal.Cast<byte, sbyte>(Data);
        var result = new float[Count][];
        for (var i = 0; i < Count; i++)
        {
            result[i] = new float[Dimensions];
            VectorIndex.Dequantize(values.Slice(i * Dimensions, Dimensions), Scales[i], result[i]);
        }

        return result;
    }

    /// <summary>
    /// Embeds the sentences of <paramref name="papers"/> with <paramref name="generator"/> into one record per paper, in
    /// order. All their sentences go to the model in one call: the local model sorts them by length and pads each
    /// sub-batch only to its own longest sentence, so sentences of many papers cost less together than paper by paper.
    /// </summary>
    public static async Task<IReadOnlyList<PaperSentenceVectorsRecord>> EmbedAsync(IEmbeddingGenerator<string, Embedding<float>> generator, IReadOnlyList<Paper> papers,
        string model, CancellationToken ct)
    {
        var sentences = papers.Select(SentencesOf).ToList();
        var flat = sentences.SelectMany(s => s).ToList();
        var vectors = flat.Count == 0 ? [] : (await generator.GenerateAsync(flat, cancellationToken: ct).ConfigureAwait(false)).Select(x => x.Vector).ToList();
        var result = new List<PaperSentenceVectorsRecord>(papers.Count);
        var at = 0;
        for (var i = 0; i < papers.Count; i++)
        {
            var n = sentences[i].Count;
            result.Add(From(vectors.GetRange(at, n), sentences[i], model, PaperEmbeddingRecord.HashOf(PaperEmbeddings.TextOf(papers[i]))));
            at += n;
        }

        return result;
    }
}
