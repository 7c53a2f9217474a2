using Lucene.Net.Index;
using Lucene.Net.Search;

namespace PaperBot.Core.Search.Indexing;

/// <summary>
/// How a filter is applied to a scored query (every filtered search, through <see cref="PaperSearcher"/>). Lucene's
/// default random-access strategy scores a filtered disjunction document by document (BooleanScorer2, in order) even
/// when the filter is a random-access bit set, and falls back to leap-frogging the filter's iterator when its first
/// match is past document 100. For the doc-values range filters (dates, upvotes: <see cref="FieldCacheDocIdSet"/>)
/// both are slow at 1M papers: the iterator tests every document in turn, and the in-order scorer was 2–3× slower than
/// the unfiltered bulk scorer. Here a filter with random-access bits (the range filters, and their combinations, which
/// Lucene's BooleanFilter materialises as a bit set) is always passed down as the accepted documents of the query's own
/// (bulk) scorer, so a filtered query costs at most what the unfiltered one does and scores exactly as it does. Filters
/// without bits (author names and id term filters, sparse and cheap to iterate) keep Lucene's leap-frog.
/// </summary>
public sealed class DocValuesFilterStrategy : FilteredQuery.RandomAccessFilterStrategy
{
    public static readonly DocValuesFilterStrategy Instance = new();

    private DocValuesFilterStrategy()
    {
    }

    public override Scorer FilteredScorer(AtomicReaderContext context, Weight weight, DocIdSet docIdSet) =>
        docIdSet.Bits is { } bits
            ? weight.GetScorer(context, bits)
            : base.FilteredScorer(context, weight, docIdSet);

    public override BulkScorer FilteredBulkScorer(AtomicReaderContext context, Weight weight, bool scoreDocsInOrder, DocIdSet docIdSet) =>
        docIdSet.Bits is { } bits
            ? weight.GetBulkScorer(context, scoreDocsInOrder, bits)
            : base.FilteredBulkScorer(context, weight, scoreDocsInOrder, docIdSet);
}

/// <summary>An index searcher that applies filters with <see cref="DocValuesFilterStrategy"/>.</summary>
public sealed class PaperSearcher : IndexSearcher
{
    public PaperSearcher(IndexReader reader)
        : base(reader)
    {
    }

    public PaperSearcher(IndexReader reader, TaskScheduler executor)
        : base(reader, executor)
    {
    }

    protected override Query WrapFilter(Query query, Filter? filter) =>
        filter is null ? query : new FilteredQuery(query, filter, DocValuesFilterStrategy.Instance);
}
