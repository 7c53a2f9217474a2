namespace PaperBot.Core.Search.Indexing;

/// <summary>Lucene field names of the paper index.</summary>
public static class PaperFields
{
    /// <summary>Stored, not analysed: the paper id (hits are hydrated from the store by it).</summary>
    public const string Id = "id";

    /// <summary>Binary doc values: the paper id again, so hits resolve their id without reading stored fields.</summary>
    public const string IdValue = "id_dv";

    /// <summary>The title alone (for the title weight).</summary>
    public const string Title = "title";

    /// <summary>Title + abstract + authors + organisation in one field: the main BM25 field.</summary>
    public const string Text = "text";

    /// <summary>Author names and organisation, name-analysed (lower-cased, no stemming) for the author/organisation filter.</summary>
    public const string Who = "who";

    /// <summary>Doc values, int yyyyMMdd: the published date, else the featured date (range filter and sort); 0 = none.</summary>
    public const string DateSort = "date_dv";

    /// <summary>Doc values, int yyyyMMdd: the Daily Papers featured date.</summary>
    public const string FeaturedSort = "featured_dv";

    /// <summary>Doc values: upvotes (range filter and sort).</summary>
    public const string UpvotesSort = "upvotes_dv";
}
