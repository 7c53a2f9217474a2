using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace PaperBot.AI.Embeddings;

/// <summary>
/// A paper's embedding as stored (keyed by paper id): int8 (symmetric, one scale per unit vector; 1 byte per
/// dimension) when quantised, otherwise raw little-endian float32 bytes. <see cref="Model"/> is the model key
/// (provider/model/dimensions): a record of another key is never searched and is replaced by the next backfill.
/// </summary>
public sealed class PaperEmbeddingRecord
{
    public string Model { get; set; } = "";

    public int Dimensions { get; set; }

    /// <summary>The paper's store revision when embedded (diagnostics; re-embedding is decided by <see cref="TextHash"/>).</summary>
    public long Revision { get; set; }

    /// <summary>Hash of the embedded text (title + abstract): the paper is re-embedded only when it changes.</summary>
    public string TextHash { get; set; } = "";

    public bool Quantized { get; set; }

    /// <summary>
    /// The sentence splitter version (<see cref="Offline.TextAnalysis.SentenceSplitVersion"/>) whose sentence vectors
    /// were stored for this text (<see cref="PaperSentenceVectorsRecord"/>); 0 = none. Read with the paper vectors at
    /// start-up, so the backfill knows which papers lack sentence vectors without reading them.
    /// </summary>
    public int SentenceSplit { get; set; }

    public float Scale { get; set; }

    public byte[] Data { get; set; } = [];

    /// <summary>First 16 hex digits of SHA-256 of the text.</summary>
    public static string HashOf(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 8));

    public static PaperEmbeddingRecord From(ReadOnlySpan<float> vector, string model, long revision, string textHash, bool quantize)
    {
        if (!quantize)
        {
            var v = vector.ToArray();
            var norm = System.Numerics.Tensors.TensorPrimitives.Norm(v);
            if (norm > 0)
            {
                System.Numerics.Tensors.TensorPrimitives.Divide(v, norm, v);
            }

            return new PaperEmbeddingRecord { Model = model, Dimensions = v.Length, Revision = revision, TextHash = textHash, Data = MemoryMarshal.AsBytes(v.AsSpan()).ToArray() };
        }

        var data = new sbyte[vector.Length];
        var scale = VectorIndex.Quantize(vector, data);
        return new PaperEmbeddingRecord
        {
            Model = model,
            Dimensions = vector.Length,
            Revision = revision,
            TextHash = textHash,
            Quantized = true,
            Scale = scale,
            Data = MemoryMarshal.AsBytes(data.AsSpan()).ToArray(),
        };
    }

    /// <summary>The (unit) vector as floats.</summary>
    public float[] ToVector()
    {
        if (!Quantized)
        {
            return MemoryMarshal.Cast<byte, float>(Data).ToArray();
        }

        var v = new float[Data.Length];
        VectorIndex.Dequantize(MemoryMarshal.Cast<byte, sbyte>(Data), Scale, v);
        return v;
    }

    /// <summary>Adds this vector to <paramref name="index"/> without a float round trip when it is int8.</summary>
    public void AddTo(VectorIndex index, string id)
    {
        if (Quantized)
        {
            index.Upsert(id, MemoryMarshal.Cast<byte, sbyte>(Data), Scale);
        }
        else
        {
            index.Upsert(id, ToVector());
        }
    }
}
