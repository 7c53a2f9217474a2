using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace PaperBot.AI.Embeddings;

/// <summary>
/// A paper's embedding as stored (keyed by paper id). Int8 (symmetric, one scale per vector) when quantised: 1 byte per
/// dimension instead of 4; otherwise raw little-endian float32 bytes.
/// </summary>
public sealed class PaperEmbeddingRecord
{
    public string Model { get; set; } = "";

    public int Dimensions { get; set; }

    /// <summary>The paper's store revision when embedded (re-embedded when the paper changes).</summary>
    public long Revision { get; set; }

    public bool Quantized { get; set; }

    public float Scale { get; set; }

    public byte[] Data { get; set; } = [];

    public static PaperEmbeddingRecord From(ReadOnlySpan<float> vector, string model, long revision, bool quantize)
    {
        // Normalise first: cosine similarity then is a dot product.
        var v = vector.ToArray();
        var norm = TensorPrimitives.Norm(v);
        if (norm > 0)
        {
            TensorPrimitives.Multiply((ReadOnlySpan<float>)v, 1f / norm, (Span<float>)v);
        }

        if (!quantize)
        {
            return new PaperEmbeddingRecord { Model = model, Dimensions = v.Length, Revision = revision, Data = MemoryMarshal.AsBytes(v.AsSpan()).ToArray() };
        }

        var max = Math.Abs(TensorPrimitives.MaxMagnitude((ReadOnlySpan<float>)v)); // signed value of largest magnitude
        var scale = max > 0 ? max / 127f : 1f;
        var data = new byte[v.Length];
        for (var i = 0; i < v.Length; i++)
        {
            data[i] = unchecked((byte)(sbyte)Math.Clamp(MathF.Round(v[i] / scale), -127, 127));
        }

        return new PaperEmbeddingRecord { Model = model, Dimensions = v.Length, Revision = revision, Quantized = true, Scale = scale, Data = data };
    }

    /// <summary>The (normalised) vector as floats.</summary>
    public float[] ToVector()
    {
        if (!Quantized)
        {
            return MemoryMarshal.Cast<byte, float>(Data).ToArray();
        }

        var v = new float[Data.Length];
        for (var i = 0; i < Data.Length; i++)
        {
            v[i] = unchecked((sbyte)Data[i]) * Scale;
        }

        return v;
    }
}
