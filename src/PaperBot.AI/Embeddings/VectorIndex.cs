using System.Numerics.Tensors;

namespace PaperBot.AI.Embeddings;

/// <summary>An in-memory matrix of normalised vectors; brute-force cosine (dot product) with SIMD via TensorPrimitives.</summary>
public sealed class VectorIndex
{
    private readonly object _gate = new();
    private readonly Dictionary<string, int> _rows = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _ids = [];
    private float[] _matrix = [];

    public int Dimensions { get; private set; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _ids.Count;
            }
        }
    }

    public void Upsert(string id, ReadOnlySpan<float> normalizedVector)
    {
        lock (_gate)
        {
            if (Dimensions == 0)
            {
                Dimensions = normalizedVector.Length;
            }
            else if (normalizedVector.Length != Dimensions)
            {
                throw new InvalidOperationException($"embedding of {id} has {normalizedVector.Length} dimensions, the index has {Dimensions}");
            }

            if (!_rows.TryGetValue(id, out var row))
            {
                row = _ids.Count;
                _ids.Add(id);
                _rows[id] = row;
                if (_matrix.Length < (row + 1) * Dimensions)
                {
                    Array.Resize(ref _matrix, Math.Max((row + 1) * Dimensions, _matrix.Length * 2));
                }
            }

            normalizedVector.CopyTo(_matrix.AsSpan(row * Dimensions, Dimensions));
        }
    }

    public void Remove(string id)
    {
        lock (_gate)
        {
            if (!_rows.Remove(id, out var row))
            {
                return;
            }

            // Move the last row into the hole.
            var last = _ids.Count - 1;
            if (row != last)
            {
                _matrix.AsSpan(last * Dimensions, Dimensions).CopyTo(_matrix.AsSpan(row * Dimensions, Dimensions));
                _ids[row] = _ids[last];
                _rows[_ids[row]] = row;
            }

            _ids.RemoveAt(last);
        }
    }

    /// <summary>The <paramref name="top"/> most similar ids (cosine), best first; <paramref name="accept"/> filters ids.</summary>
    public IReadOnlyList<(string Id, float Score)> Search(ReadOnlySpan<float> query, int top, Func<string, bool>? accept = null)
    {
        var q = query.ToArray();
        var norm = TensorPrimitives.Norm(q);
        if (norm > 0)
        {
            TensorPrimitives.Multiply((ReadOnlySpan<float>)q, 1f / norm, (Span<float>)q);
        }

        lock (_gate)
        {
            if (_ids.Count == 0 || q.Length != Dimensions)
            {
                return [];
            }

            // Top-k with a min-heap (no full sort); ties broken by id for determinism.
            var heap = new PriorityQueue<int, (float Score, string Id)>(top + 1, TopComparer.Instance);
            for (var r = 0; r < _ids.Count; r++)
            {
                var score = TensorPrimitives.Dot(_matrix.AsSpan(r * Dimensions, Dimensions), q);
                if (heap.Count == top && heap.TryPeek(out _, out var worst) && TopComparer.Instance.Compare((score, _ids[r]), worst) <= 0)
                {
                    continue;
                }

                if (accept is not null && !accept(_ids[r]))
                {
                    continue;
                }

                heap.Enqueue(r, (score, _ids[r]));
                if (heap.Count > top)
                {
                    heap.Dequeue();
                }
            }

            var result = new List<(string Id, float Score)>(heap.Count);
            while (heap.TryDequeue(out var row, out var key))
            {
                result.Add((_ids[row], key.Score));
            }

            result.Reverse();
            return result;
        }
    }

    /// <summary>Orders (score asc, id desc): the heap's root is the worst of the current top-k.</summary>
    private sealed class TopComparer : IComparer<(float Score, string Id)>
    {
        public static readonly TopComparer Instance = new();

        public int Compare((float Score, string Id) x, (float Score, string Id) y)
        {
            var c = x.Score.CompareTo(y.Score);
            return c != 0 ? c : string.CompareOrdinal(y.Id, x.Id);
        }
    }
}
