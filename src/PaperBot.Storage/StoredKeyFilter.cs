using System.Runtime.CompilerServices;
using LiteDB;

namespace PaperBot.Storage;

/// <summary>
/// A Bloom filter over every paper id and title key written to one open database, kept only when that database was
/// empty when this process started writing to it (this process holds the file's exclusive lock, so it writes every
/// key there is). A key the filter has never seen is certainly not stored: a bulk ingest into a new database then
/// skips the primary-key seek of each new paper and title key (a seek that misses costs as much as an insert).
/// A key it may have seen is looked up as before, so answers never change; a removed key simply stays "maybe".
/// Only printable-ASCII keys are filtered (LiteDB compares ids case-insensitively by culture; for these keys that
/// is ordinal ignore-case, which the hash folds); any other key is always looked up.
/// Grows by adding segments of twice the capacity, so it costs about 1.5 bytes per key (≈ 1 % false positives per segment).
/// </summary>
internal sealed class StoredKeyFilter
{
    private const int BitsPerKey = 10;
    private const int Probes = 7;
    private const int FirstCapacity = 1 << 16;

    private static readonly ConditionalWeakTable<LiteDatabase, StoredKeyFilter> Filters = [];

    private readonly object _gate = new();
    private readonly List<Segment> _segments = [new(FirstCapacity)];

    /// <summary>The filter of <paramref name="db"/>, or null when none is kept (the database was not empty when first written here).</summary>
    public static StoredKeyFilter? Of(LiteDatabase db) => Filters.TryGetValue(db, out var f) ? f : null;

    /// <summary>Starts a filter for <paramref name="db"/>; call only under the write lock, when it holds no paper and no title key.</summary>
    public static void StartEmpty(LiteDatabase db) => Filters.TryAdd(db, new StoredKeyFilter());

    /// <summary>Records a key about to be written (call before the write: a failed write only leaves a false positive).</summary>
    public void Add(string key)
    {
        if (!Hash(key, out var h1, out var h2))
        {
            return;
        }

        lock (_gate)
        {
            var last = _segments[^1];
            if (last.Count >= last.Capacity)
            {
                _segments.Add(last = new Segment(last.Capacity * 2));
            }

            last.Add(h1, h2);
        }
    }

    /// <summary>False only when <paramref name="key"/> is certainly not stored.</summary>
    public bool MayContain(string key)
    {
        if (!Hash(key, out var h1, out var h2))
        {
            return true;
        }

        lock (_gate)
        {
            foreach (var s in _segments)
            {
                if (s.Contains(h1, h2))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Two 32-bit hashes of the key folded to lower case (FNV-1a 64); false for a key that is not printable ASCII.</summary>
    private static bool Hash(string key, out uint h1, out uint h2)
    {
        var h = 14695981039346656037UL;
        foreach (var c in key)
        {
            if (c < 0x20 || c > 0x7e)
            {
                h1 = h2 = 0;
                return false;
            }

            h = (h ^ (c is >= 'A' and <= 'Z' ? (uint)(c | 0x20) : c)) * 1099511628211UL;
        }

        h ^= h >> 29;
        h *= 0xbf58476d1ce4e5b9UL;
        h ^= h >> 32;
        h1 = (uint)h;
        h2 = (uint)(h >> 32) | 1;
        return true;
    }

    private sealed class Segment(int capacity)
    {
        private readonly ulong[] _bits = new ulong[((long)capacity * BitsPerKey + 63) / 64];

        public int Capacity { get; } = capacity;

        public int Count { get; private set; }

        private ulong Size => (ulong)_bits.Length * 64;

        public void Add(uint h1, uint h2)
        {
            for (var i = 0u; i < Probes; i++)
            {
                var bit = (h1 + (i * h2)) % Size;
                _bits[bit >> 6] |= 1UL << (int)(bit & 63);
            }

            Count++;
        }

        public bool Contains(uint h1, uint h2)
        {
            for (var i = 0u; i < Probes; i++)
            {
                var bit = (h1 + (i * h2)) % Size;
                if ((_bits[bit >> 6] & (1UL << (int)(bit & 63))) == 0)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
