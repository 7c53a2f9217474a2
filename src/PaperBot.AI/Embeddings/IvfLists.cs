using System.Numerics.Tensors;

namespace PaperBot.AI.Embeddings;

/// <summary>
/// The approximate-nearest-neighbour side of <see cref="VectorIndex"/>: an inverted file (IVF). Spherical k-means
/// centroids are trained on a sample of the rows; every row belongs to the list of its nearest centroid. A search
/// ranks the centroids against the query and scans only the rows of the best lists (exact int8 dot products), so a
/// 1M-vector query reads a few percent of the matrix instead of all of it.
/// <para>
/// Chosen over HNSW because it stays in step with the vectors at almost no cost: a new or changed vector is assigned
/// to its nearest centroid (a few hundred dot products) and a removed one leaves its list in O(1), so the lists follow
/// every <see cref="VectorIndex.Upsert(string, ReadOnlySpan{sbyte}, float)"/>/<see cref="VectorIndex.Remove"/> exactly
/// as the vectors do; rebuilding it from the loaded vectors takes seconds (no graph to persist). Not thread-safe on
/// its own: <see cref="VectorIndex"/> calls it under its lock.
/// </para>
/// </summary>
internal sealed class IvfLists
{
    private const int TrainIterations = 8;

    private const int SamplePerList = 24;

    private readonly float[] _centroids;
    private readonly List<int>[] _lists;
    private int[] _listOf;
    private int[] _slot;

    private IvfLists(float[] centroids, int lists, int dimensions, int capacity)
    {
        _centroids = centroids;
        Dimensions = dimensions;
        _lists = new List<int>[lists];
        for (var i = 0; i < lists; i++)
        {
            _lists[i] = [];
        }

        _listOf = new int[capacity];
        _slot = new int[capacity];
    }

    public int Dimensions { get; }

    public int ListCount => _lists.Length;

    /// <summary>Rows the index held when the centroids were trained (the index retrains when it has grown well past it).</summary>
    public int TrainedRows { get; private init; }

    /// <summary>Lists for <paramref name="rows"/> vectors: about √rows / 2, so a list holds about 2·√rows rows.</summary>
    public static int ListsFor(int rows) => Math.Clamp((int)Math.Sqrt(rows) / 2, 8, 4096);

    /// <summary>Trains centroids on a deterministic sample of <paramref name="rows"/> rows and assigns every row.</summary>
    public static IvfLists Build(sbyte[] matrix, float[] scales, int rows, int dimensions)
    {
        var lists = ListsFor(rows);
        var sampleSize = Math.Min(rows, lists * SamplePerList);
        var stride = (double)rows / sampleSize;
        var sample = new float[sampleSize * dimensions];
        for (var i = 0; i < sampleSize; i++)
        {
            var r = (int)(i * stride);
            VectorIndex.Dequantize(matrix.AsSpan(r * dimensions, dimensions), scales[r], sample.AsSpan(i * dimensions, dimensions));
        }

        // Seeds: every (sampleSize / lists)-th sample row, then Lloyd iterations of spherical k-means (dot product).
        var centroids = new float[lists * dimensions];
        for (var c = 0; c < lists; c++)
        {
            sample.AsSpan(c * (sampleSize / lists) * dimensions, dimensions).CopyTo(centroids.AsSpan(c * dimensions, dimensions));
        }

        var assignment = new int[sampleSize];
        for (var iter = 0; iter < TrainIterations; iter++)
        {
            Parallel.For(0, sampleSize, i => assignment[i] = Nearest(centroids, lists, dimensions, sample.AsSpan(i * dimensions, dimensions)));
            var sums = new float[lists * dimensions];
            var counts = new int[lists];
            for (var i = 0; i < sampleSize; i++)
            {
                var c = assignment[i];
                TensorPrimitives.Add(sums.AsSpan(c * dimensions, dimensions), sample.AsSpan(i * dimensions, dimensions), sums.AsSpan(c * dimensions, dimensions));
                counts[c]++;
            }

            for (var c = 0; c < lists; c++)
            {
                var sum = sums.AsSpan(c * dimensions, dimensions);
                var norm = TensorPrimitives.Norm(sum);
                if (counts[c] > 0 && norm > 0)
                {
                    TensorPrimitives.Divide(sum, norm, centroids.AsSpan(c * dimensions, dimensions));
                }
            }
        }

        var ivf = new IvfLists(centroids, lists, dimensions, Math.Max(rows, 1024)) { TrainedRows = rows };
        var rowList = new int[rows];
        Parallel.For(0, rows, () => new float[dimensions], (r, _, buffer) =>
        {
            VectorIndex.Dequantize(matrix.AsSpan(r * dimensions, dimensions), scales[r], buffer);
            rowList[r] = Nearest(centroids, lists, dimensions, buffer);
            return buffer;
        }, _ => { });
        for (var r = 0; r < rows; r++)
        {
            ivf.Place(r, rowList[r]);
        }

        return ivf;
    }

    /// <summary>Puts row <paramref name="row"/> (new or changed) into the list of its nearest centroid.</summary>
    public void Assign(int row, ReadOnlySpan<sbyte> data, float scale)
    {
        if (row < _listOf.Length && _listOf[row] > 0)
        {
            Unplace(row);
        }

        Span<float> v = stackalloc float[Dimensions];
        VectorIndex.Dequantize(data, scale, v);
        Place(row, Nearest(_centroids, _lists.Length, Dimensions, v));
    }

    /// <summary>Row <paramref name="removed"/> is gone and row <paramref name="moved"/> took its place (or moved == removed when it was the last).</summary>
    public void Remove(int removed, int moved)
    {
        Unplace(removed);
        if (moved != removed)
        {
            var list = _listOf[moved] - 1;
            var slot = _slot[moved];
            _lists[list][slot] = removed;
            _listOf[removed] = list + 1;
            _slot[removed] = slot;
            _listOf[moved] = 0;
        }
    }

    /// <summary>
    /// The rows to scan for a query: the lists of the <paramref name="probes"/> nearest centroids, more until at least
    /// <paramref name="minRows"/> rows are covered.
    /// </summary>
    public IEnumerable<List<int>> Probe(ReadOnlySpan<float> unitQuery, int probes, int minRows)
    {
        var order = new (float Score, int List)[_lists.Length];
        for (var c = 0; c < _lists.Length; c++)
        {
            order[c] = (-TensorPrimitives.Dot(_centroids.AsSpan(c * Dimensions, Dimensions), unitQuery), c);
        }

        Array.Sort(order);
        var chosen = new List<List<int>>();
        var rows = 0;
        foreach (var (_, c) in order)
        {
            if (chosen.Count >= probes && rows >= minRows)
            {
                break;
            }

            chosen.Add(_lists[c]);
            rows += _lists[c].Count;
        }

        return chosen;
    }

    private static int Nearest(float[] centroids, int lists, int dimensions, ReadOnlySpan<float> v)
    {
        var best = 0;
        var bestScore = float.NegativeInfinity;
        for (var c = 0; c < lists; c++)
        {
            var s = TensorPrimitives.Dot(centroids.AsSpan(c * dimensions, dimensions), v);
            if (s > bestScore)
            {
                bestScore = s;
                best = c;
            }
        }

        return best;
    }

    private void Place(int row, int list)
    {
        if (row >= _listOf.Length)
        {
            var capacity = Math.Max(row + 1, _listOf.Length * 2);
            Array.Resize(ref _listOf, capacity);
            Array.Resize(ref _slot, capacity);
        }

        // _listOf holds list + 1 so that 0 means "in no list".
        _listOf[row] = list + 1;
        _slot[row] = _lists[list].Count;
        _lists[list].Add(row);
    }

    private void Unplace(int row)
    {
        var list = _listOf[row] - 1;
        if (list < 0)
        {
            return;
        }

        var rows = _lists[list];
        var slot = _slot[row];
        var last = rows[^1];
        rows[slot] = last;
        _slot[last] = slot;
        rows.RemoveAt(rows.Count - 1);
        _listOf[row] = 0;
    }
}
