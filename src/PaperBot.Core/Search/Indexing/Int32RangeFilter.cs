using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace PaperBot.Core.Search.Indexing;

/// <summary>
/// Documents whose int32 numeric doc value (<see cref="PaperFields.DateSort"/>, <see cref="PaperFields.UpvotesSort"/>)
/// lies in [<paramref name="min"/>, <paramref name="max"/>]; a document without the value counts as 0 (as with
/// Lucene's FieldCacheRangeFilter, which this replaces). Each segment's values are decoded once into an int array
/// (4 bytes a paper per field, only for fields that are filtered on) and kept for the segment's lifetime: the
/// filter is checked for every posting of every query term (<see cref="DocValuesFilterStrategy"/>), and reading the
/// compressed doc values there doubled the time of a date- or upvote-filtered query at 1M papers.
/// </summary>
public sealed class Int32RangeFilter(string fieldName, int min, int max) : Filter
{
    /// <summary>Decoded values per segment core (segments are immutable; the entry goes with the segment).</summary>
    private static readonly ConditionalWeakTable<object, ConcurrentDictionary<string, int[]>> Decoded = new();

    public string Field => fieldName;

    public int Min => min;

    public int Max => max;

    public override DocIdSet? GetDocIdSet(AtomicReaderContext context, IBits? acceptDocs)
    {
        if (min > max)
        {
            return null;
        }

        var reader = context.AtomicReader;
        var values = ValuesOf(reader, fieldName);
        return new RangeSet(reader.MaxDoc, acceptDocs, values, min, max);
    }

    /// <summary>The segment's values of <paramref name="name"/> (zeros when the field has none).</summary>
    internal static int[] ValuesOf(AtomicReader reader, string name) =>
        Decoded.GetValue(reader.CoreCacheKey, _ => new ConcurrentDictionary<string, int[]>(StringComparer.Ordinal))
            .GetOrAdd(name, n =>
            {
                var values = new int[reader.MaxDoc];
                if (reader.GetNumericDocValues(n) is { } dv)
                {
                    for (var doc = 0; doc < values.Length; doc++)
                    {
                        values[doc] = (int)dv.Get(doc);
                    }
                }

                return values;
            });

    public override string ToString() => $"{fieldName}:[{min} TO {max}]";

    public override bool Equals(object? obj) => obj is Int32RangeFilter o && o.Field == fieldName && o.Min == min && o.Max == max;

    public override int GetHashCode() => HashCode.Combine(fieldName, min, max);

    private sealed class RangeSet(int maxDoc, IBits? acceptDocs, int[] values, int min, int max) : FieldCacheDocIdSet(maxDoc, acceptDocs)
    {
        protected override bool MatchDoc(int doc)
        {
            var v = values[doc];
            return v >= min && v <= max;
        }
    }
}
