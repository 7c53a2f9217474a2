using Lucene.Net.Search.Similarities;

namespace PaperBot.Core.Search.Indexing;

/// <summary>
/// Lucene 4.8 BM25 with a finer document-length norm. Stock 4.8 BM25 stores boost/sqrt(length) in one byte
/// (SmallFloat 3.1.5: steps of ~25% in length); this stores the length itself with Lucene 7+'s "int4" byte encoding
/// (exact up to 24 terms, then 4 significant bits), which is what modern Lucene/Anserini BM25 scores with.
/// Index-time boosts are not used by PaperBot and are ignored.
/// </summary>
public sealed class PaperSimilarity(float k1, float b) : BM25Similarity(k1, b)
{
    private const int MaxInt4 = 231; // LongToInt4(int.MaxValue)
    private const int FreeValues = 255 - MaxInt4; // 24: small lengths are stored exactly

    protected override byte EncodeNormValue(float boost, int fieldLength) => IntToByte4(fieldLength);

    protected override float DecodeNormValue(byte b) => Byte4ToInt(b);

    public override string ToString() => $"PaperBM25(k1={K1}, b={B})";

    public static byte IntToByte4(int i)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(i);
        return i < FreeValues ? (byte)i : (byte)(FreeValues + LongToInt4(i - FreeValues));
    }

    public static int Byte4ToInt(byte b)
    {
        int i = b;
        return i < FreeValues ? i : (int)(FreeValues + Int4ToLong(i - FreeValues));
    }

    private static int LongToInt4(long i)
    {
        var numBits = 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)i);
        if (numBits < 4)
        {
            return (int)i; // subnormal
        }

        var shift = numBits - 4;
        var encoded = (int)((ulong)i >> shift) & 0x07; // the top bit is implicit
        return encoded | ((shift + 1) << 3);
    }

    private static long Int4ToLong(int i)
    {
        long bits = i & 0x07;
        var shift = (i >> 3) - 1;
        return shift == -1 ? bits : (bits | 0x08) << shift;
    }
}
