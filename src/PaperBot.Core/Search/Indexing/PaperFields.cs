namespace PaperBot.Core.Search.Indexing;

/// <summary>Lucene field names of the paper index.</summary>
public static class PaperFields
{
    /// <summary>Stored, not analysed: the paper id (hits are hydrated from the store by it).</summary>
    public const string Id = "id";

    public const string Title = "title";

    public const string Abstract = "abstract";

    public const string Authors = "authors";

    public const string Organization = "org";

    /// <summary>Title + abstract + authors + organisation in one field (the main BM25 field).</summary>
    public const string Text = "text";

    /// <summary>Author names and organisation, name-analysed (lower-cased, no stemming) for the author/organisation filter.</summary>
    public const string Who = "who";

    /// <summary>Indexed int yyyyMMdd: the published date, else the featured date (range filters).</summary>
    public const string Date = "date";

    /// <summary>Doc-values copy of <see cref="Date"/> for sorting.</summary>
    public const string DateSort = "date_dv";

    /// <summary>Indexed int yyyyMMdd of the Daily Papers featured date.</summary>
    public const string Featured = "featured";

    public const string FeaturedSort = "featured_dv";

    public const string Upvotes = "upvotes";

    public const string UpvotesSort = "upvotes_dv";
}
