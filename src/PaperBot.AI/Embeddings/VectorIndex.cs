using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using PaperBot.Core.Search.Dense;

namespace PaperBot.AI.Embeddings;

/// <summary>
/// An in-memory matrix of unit vectors stored as int8 (one scale per vector: 1 byte per dimension, a quarter of
/// float32), searched exhaustively: the query is quantised the same way and every row's integer dot product is
/// computed with AVX2 (|a|·sign(b, a) through <c>vpmaddubsw</c>/<c>vpmaddwd</c>, 32 dimensions per step), on all cores
/// for large indexes, each with its own top-k heap. Exact cosines for the final candidates come from
/// <see cref="Cosine"/>. Thread-safe: searches run concurrently; writes are exclusive.
/// <para>
/// Opt-in (Embeddings:AnnMinVectors): from <see cref="AnnMinRows"/> vectors on, an inverted-file ANN index
/// (<see cref="IvfLists"/>) is built in the background (searches stay exhaustive until it is ready) and kept in step
/// with every upsert and removal; searches then scan only the lists nearest the query (recall@10 against the
/// exhaustive scan measured by `bench search --mode hybrid`). Below it, and by default, every search is exhaustive.
/// </para>
/// </summary>
public sealed class VectorIndex(int annMinRows = int.MaxValue)
{
    /// <summary>Rows per parallel partition (below this a search runs on the calling thread).</summary>
    private const int PartitionRows = 32_768;

    /// <summary>At least this many rows are scanned per requested hit when the ANN lists are probed.</summary>
    private const int RowsPerHit = 24;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<string, int> _rows = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _ids = [];
    private sbyte[] _matrix = [];
    private float[] _scales = [];
    private IvfLists? _ivf;
    private int _building;

    public int Dimensions { get; private set; }

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _ids.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Vectors from which searches use the ANN index (int.MaxValue: never).</summary>
    public int AnnMinRows => annMinRows;

    /// <summary>Share of the ANN lists a search scans (at least 8 lists): the recall/latency trade-off.</summary>
    public double AnnProbeFraction { get; set; } = 0.5;

    /// <summary>True when searches use the ANN index (built and current).</summary>
    public bool AnnReady => _ivf is not null;

    /// <summary>Bytes held by the vectors (diagnostics).</summary>
    public long VectorBytes => (long)_matrix.Length + _scales.Length * sizeof(float);

    public bool Contains(string id)
    {
        _lock.EnterReadLock();
        try
        {
            return _rows.ContainsKey(id);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Adds or replaces <paramref name="id"/>'s vector (normalised and quantised here).</summary>
    public void Upsert(string id, ReadOnlySpan<float> vector)
    {
        var q = new sbyte[vector.Length];
        var scale = Quantize(vector, q);
        Upsert(id, q, scale);
    }

    /// <summary>Adds or replaces an already quantised unit vector (value = data[i] · scale).</summary>
    public void Upsert(string id, ReadOnlySpan<sbyte> data, float scale)
    {
        _lock.EnterWriteLock();
        try
        {
            if (Dimensions == 0)
            {
                Dimensions = data.Length;
            }
            else if (data.Length != Dimensions)
            {
                throw new InvalidOperationException($"embedding of {id} has {data.Length} dimensions, the index has {Dimensions}");
            }

            if (!_rows.TryGetValue(id, out var row))
            {
                row = _ids.Count;
                _ids.Add(id);
                _rows[id] = row;
                if (_matrix.Length < (row + 1) * Dimensions)
                {
                    var capacity = Math.Max(row + 1, Math.Max(1024, _scales.Length * 2));
                    Array.Resize(ref _matrix, capacity * Dimensions);
                    Array.Resize(ref _scales, capacity);
                }
            }

            data.CopyTo(_matrix.AsSpan(row * Dimensions, Dimensions));
            _scales[row] = scale;
            _ivf?.Assign(row, data, scale);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Builds (or retrains) the ANN lists over the current vectors now, on the calling thread; searches keep running
    /// exhaustively meanwhile. Normally started in the background by the first search past <see cref="AnnMinRows"/>.
    /// </summary>
    public void BuildAnn()
    {
        _lock.EnterUpgradeableReadLock();
        try
        {
            var n = _ids.Count;
            if (n == 0)
            {
                return;
            }

            var ivf = IvfLists.Build(_matrix, _scales, n, Dimensions);
            _lock.EnterWriteLock();
            try
            {
                _ivf = ivf;
            }
            finally
            {
                _lock.ExitWriteLock();
            }
        }
        finally
        {
            _lock.ExitUpgradeableReadLock();
        }
    }

    /// <summary>Starts a background ANN build when the index is large enough and has none (or has outgrown it).</summary>
    private void MaybeBuildAnn(int rows)
    {
        if (rows < annMinRows || (_ivf is { } ivf && rows < ivf.TrainedRows * 4) || Interlocked.CompareExchange(ref _building, 1, 0) != 0)
        {
            return;
        }

        _ = Task.Run(() =>
        {
            try
            {
                BuildAnn();
            }
            finally
            {
                Volatile.Write(ref _building, 0);
            }
        });
    }

    /// <summary>Reserves room for <paramref name="rows"/> vectors of <paramref name="dimensions"/> (bulk loads).</summary>
    public void Reserve(int rows, int dimensions)
    {
        _lock.EnterWriteLock();
        try
        {
            if (Dimensions == 0)
            {
                Dimensions = dimensions;
            }

            if (_scales.Length < rows)
            {
                Array.Resize(ref _matrix, rows * Dimensions);
                Array.Resize(ref _scales, rows);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public void Remove(string id)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_rows.Remove(id, out var row))
            {
                return;
            }

            // Move the last row into the hole.
            var last = _ids.Count - 1;
            _ivf?.Remove(row, last);
            if (row != last)
            {
                _matrix.AsSpan(last * Dimensions, Dimensions).CopyTo(_matrix.AsSpan(row * Dimensions, Dimensions));
                _scales[row] = _scales[last];
                _ids[row] = _ids[last];
                _rows[_ids[row]] = row;
            }

            _ids.RemoveAt(last);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public void Clear()
    {
        _lock.EnterWriteLock();
        try
        {
            _rows.Clear();
            _ids.Clear();
            _matrix = [];
            _scales = [];
            _ivf = null;
            Dimensions = 0;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>The stored (dequantised, unit) vector of <paramref name="id"/>, or null.</summary>
    public float[]? VectorOf(string id)
    {
        _lock.EnterReadLock();
        try
        {
            if (!_rows.TryGetValue(id, out var row))
            {
                return null;
            }

            var v = new float[Dimensions];
            Dequantize(_matrix.AsSpan(row * Dimensions, Dimensions), _scales[row], v);
            return v;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Cosine of <paramref name="query"/> (any length) with <paramref name="id"/>'s stored vector; null when absent.</summary>
    public float? Cosine(ReadOnlySpan<float> query, string id)
    {
        _lock.EnterReadLock();
        try
        {
            if (!_rows.TryGetValue(id, out var row) || query.Length != Dimensions)
            {
                return null;
            }

            Span<float> v = stackalloc float[Dimensions];
            Dequantize(_matrix.AsSpan(row * Dimensions, Dimensions), _scales[row], v);
            var norm = TensorPrimitives.Norm(query);
            return norm > 0 ? TensorPrimitives.Dot(v, query) / norm : 0f;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>The <paramref name="top"/> most similar ids (cosine of the int8 vectors), best first; ties by id (approximate once the ANN index is ready).</summary>
    public IReadOnlyList<DenseHit> Search(ReadOnlySpan<float> query, int top) => Search(query, top, exact: false);

    /// <summary>As <see cref="Search(ReadOnlySpan{float}, int)"/>, always by the exhaustive scan (the reference for recall).</summary>
    public IReadOnlyList<DenseHit> SearchExact(ReadOnlySpan<float> query, int top) => Search(query, top, exact: true);

    private IReadOnlyList<DenseHit> Search(ReadOnlySpan<float> query, int top, bool exact)
    {
        if (top <= 0)
        {
            return [];
        }

        var q = new sbyte[query.Length];
        var qScale = Quantize(query, q);
        _lock.EnterReadLock();
        try
        {
            var n = _ids.Count;
            if (n == 0 || q.Length != Dimensions)
            {
                return [];
            }

            if (!exact)
            {
                MaybeBuildAnn(n);
                if (_ivf is { } ivf)
                {
                    return Finish(ScanLists(ivf, query, q, top), top, qScale);
                }
            }

            var partitions = n < 2 * PartitionRows || Environment.ProcessorCount == 1 ? 1 : Math.Min(Environment.ProcessorCount, (n + PartitionRows - 1) / PartitionRows);
            var heaps = new TopK[partitions];
            if (partitions == 1)
            {
                heaps[0] = Scan(q, 0, n, top);
            }
            else
            {
                var per = (n + partitions - 1) / partitions;
                Parallel.For(0, partitions, new ParallelOptions { MaxDegreeOfParallelism = partitions }, p =>
                    heaps[p] = Scan(q, p * per, Math.Min(n, (p + 1) * per), top));
            }

            return Finish(heaps, top, qScale);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private List<DenseHit> Finish(TopK[] heaps, int top, float qScale)
    {
        if (heaps.Length == 1)
        {
            return heaps[0].Sorted().Select(x => new DenseHit(_ids[x.Row], x.Score * qScale)).ToList();
        }

        var merged = new TopK(top);
        foreach (var h in heaps)
        {
            foreach (var (row, score) in h.Items())
            {
                merged.Offer(row, score, _ids);
            }
        }

        return merged.Sorted().Select(x => new DenseHit(_ids[x.Row], x.Score * qScale)).ToList();
    }

    /// <summary>The ANN search: the rows of the lists nearest the query, on the calling thread (no fan-out to wait for).</summary>
    private TopK[] ScanLists(IvfLists ivf, ReadOnlySpan<float> query, sbyte[] q, int top)
    {
        var norm = TensorPrimitives.Norm(query);
        Span<float> unit = stackalloc float[query.Length];
        TensorPrimitives.Divide(query, norm > 0 ? norm : 1f, unit);
        var heap = new TopK(top);
        var d = Dimensions;
        var probes = Math.Max(8, (int)Math.Ceiling(ivf.ListCount * AnnProbeFraction));
        foreach (var list in ivf.Probe(unit, probes, top * RowsPerHit))
        {
            foreach (var r in list)
            {
                var score = DotInt8(_matrix.AsSpan(r * d, d), q) * _scales[r];
                if (heap.Accepts(score))
                {
                    heap.Offer(r, score, _ids);
                }
            }
        }

        return [heap];
    }

    private TopK Scan(sbyte[] q, int from, int to, int top)
    {
        var heap = new TopK(top);
        var d = Dimensions;
        var matrix = _matrix;
        var scales = _scales;
        for (var r = from; r < to; r++)
        {
            var score = DotInt8(matrix.AsSpan(r * d, d), q) * scales[r];
            if (heap.Accepts(score))
            {
                heap.Offer(r, score, _ids);
            }
        }

        return heap;
    }

    /// <summary>Symmetric int8 quantisation of the unit-normalised <paramref name="v"/>; returns the scale.</summary>
    public static float Quantize(ReadOnlySpan<float> v, Span<sbyte> into)
    {
        var norm = TensorPrimitives.Norm(v);
        var max = v.Length == 0 ? 0 : Math.Abs(TensorPrimitives.MaxMagnitude(v)) / (norm > 0 ? norm : 1);
        var scale = max > 0 ? max / 127f : 1f;
        var f = norm > 0 ? 1f / (norm * scale) : 0f;
        for (var i = 0; i < v.Length; i++)
        {
            into[i] = (sbyte)Math.Clamp(MathF.Round(v[i] * f), -127, 127);
        }

        return scale;
    }

    public static void Dequantize(ReadOnlySpan<sbyte> data, float scale, Span<float> into)
    {
        for (var i = 0; i < data.Length; i++)
        {
            into[i] = data[i] * scale;
        }
    }

    /// <summary>Integer dot product of two int8 vectors (values in -127..127, so the 16-bit pair sums cannot overflow).</summary>
    public static int DotInt8(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        var i = 0;
        var sum = 0;
        if (Avx2.IsSupported && a.Length >= 32)
        {
            ref var ra = ref MemoryMarshal.GetReference(a);
            ref var rb = ref MemoryMarshal.GetReference(b);
            var acc = Vector256<int>.Zero;
            var ones = Vector256.Create((short)1);
            for (; i <= a.Length - 32; i += 32)
            {
                var va = Vector256.LoadUnsafe(ref Unsafe.Add(ref ra, i));
                var vb = Vector256.LoadUnsafe(ref Unsafe.Add(ref rb, i));
                // a·b = |a| · (b with a's sign): unsigned × signed bytes, summed in pairs to 16 bits, then to 32 bits.
                var pairs = Avx2.MultiplyAddAdjacent(Avx2.Abs(va), Avx2.Sign(vb, va));
                acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(pairs, ones));
            }

            sum = Vector256.Sum(acc);
        }

        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>A bounded min-heap of (row, score): the root is the worst kept; ties are broken by id (smaller id wins).</summary>
    private sealed class TopK(int capacity)
    {
        private readonly PriorityQueue<int, (float Score, string Id)> _heap = new(capacity + 1, Worst.Instance);
        private float _floor = float.NegativeInfinity;

        public bool Accepts(float score) => _heap.Count < capacity || score >= _floor;

        public void Offer(int row, float score, List<string> ids)
        {
            var key = (score, ids[row]);
            if (_heap.Count == capacity)
            {
                if (!_heap.TryPeek(out _, out var worst) || Worst.Instance.Compare(key, worst) <= 0)
                {
                    return;
                }

                _heap.Dequeue();
            }

            _heap.Enqueue(row, key);
            if (_heap.Count == capacity && _heap.TryPeek(out _, out var w))
            {
                _floor = w.Score;
            }
        }

        public IEnumerable<(int Row, float Score)> Items() => _heap.UnorderedItems.Select(x => (x.Element, x.Priority.Score));

        public List<(int Row, float Score)> Sorted()
        {
            var list = new List<(int Row, float Score)>(_heap.Count);
            while (_heap.TryDequeue(out var row, out var key))
            {
                list.Add((row, key.Score));
            }

            list.Reverse();
            return list;
        }
    }

    /// <summary>Orders (score asc, id desc): the heap's root is the worst of the current top-k.</summary>
    private sealed class Worst : IComparer<(float Score, string Id)>
    {
        public static readonly Worst Instance = new();

        public int Compare((float Score, string Id) x, (float Score, string Id) y)
        {
            var c = x.Score.CompareTo(y.Score);
            return c != 0 ? c : string.CompareOrdinal(y.Id, x.Id);
        }
    }
}
