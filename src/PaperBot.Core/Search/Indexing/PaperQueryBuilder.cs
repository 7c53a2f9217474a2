using Lucene.Net.Analysis;
using Lucene.Net.Index;
using Lucene.Net.Queries;
using Lucene.Net.Search;

namespace PaperBot.Core.Search.Indexing;

/// <summary>
/// Turns a <see cref="SearchQuery"/> into Lucene queries: a bag-of-words BM25 query (each analysed term once,
/// weighted by how often it occurs in the query) over the combined field, plus optional title weight; filters as
/// constant-score clauses.
/// </summary>
public sealed class PaperQueryBuilder(Analyzer english, Analyzer names, PaperIndexSettings settings)
{
    /// <summary>Analysed query terms with their counts, in first-seen order.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> AnalyzeTerms(string text)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var t in PaperAnalyzers.Terms(english, PaperFields.Text, text))
        {
            if (counts.TryGetValue(t, out var c))
            {
                counts[t] = c + 1;
            }
            else
            {
                counts[t] = 1;
                order.Add(t);
            }
        }

        return order.Select(t => new KeyValuePair<string, int>(t, counts[t])).ToList();
    }

    /// <summary>The scoring query; match-all when the text is empty but filters are set; null when there is nothing to search.</summary>
    public Query? Build(SearchQuery query)
    {
        var terms = AnalyzeTerms(query.Text ?? "");
        if (terms.Count == 0)
        {
            return HasFilters(query) ? new MatchAllDocsQuery() : null;
        }

        var bq = new BooleanQuery(disableCoord: true);
        // Long pasted texts: keep the first terms within Lucene's clause limit.
        var perTerm = settings.TitleBoost > 0 ? 2 : 1;
        foreach (var (term, count) in terms.Take(BooleanQuery.MaxClauseCount / perTerm))
        {
            bq.Add(new TermQuery(new Term(PaperFields.Text, term)) { Boost = count }, Occur.SHOULD);
            if (settings.TitleBoost > 0)
            {
                bq.Add(new TermQuery(new Term(PaperFields.Title, term)) { Boost = count * settings.TitleBoost }, Occur.SHOULD);
            }
        }

        return bq;
    }

    public static bool HasFilters(SearchQuery q) =>
        q.From is not null || q.To is not null || q.MinUpvotes is not null || !string.IsNullOrWhiteSpace(q.AuthorOrOrganization);

    /// <summary>All filters of <paramref name="query"/> combined (AND); null when none.</summary>
    public Filter? BuildFilter(SearchQuery query)
    {
        // Date and upvote ranges are checked against the doc values (no indexed numeric terms needed).
        var filters = new List<Filter>();
        var clauses = new List<Query>();
        if (query.From is not null || query.To is not null)
        {
            int? from = query.From is { } f ? PaperIndex.DateKey(f) : null;
            int? to = query.To is { } t ? PaperIndex.DateKey(t) : null;
            // Papers without any date are stored as 0: an open lower bound must not let them in.
            filters.Add(FieldCacheRangeFilter.NewInt32Range(PaperFields.DateSort, from ?? 1, to, true, true));
        }

        if (query.MinUpvotes is { } min)
        {
            filters.Add(FieldCacheRangeFilter.NewInt32Range(PaperFields.UpvotesSort, min, null, true, true));
        }

        if (!string.IsNullOrWhiteSpace(query.AuthorOrOrganization))
        {
            var tokens = PaperAnalyzers.Terms(names, PaperFields.Who, query.AuthorOrOrganization);
            if (tokens.Count == 0)
            {
                // Nothing searchable in the name (e.g. only punctuation): match nothing rather than everything.
                clauses.Add(new TermQuery(new Term(PaperFields.Who, "\u0000")));
            }
            else if (tokens.Count == 1)
            {
                clauses.Add(new TermQuery(new Term(PaperFields.Who, tokens[0])));
            }
            else
            {
                var phrase = new PhraseQuery();
                foreach (var t in tokens)
                {
                    phrase.Add(new Term(PaperFields.Who, t));
                }

                clauses.Add(phrase);
            }
        }

        foreach (var c in clauses)
        {
            filters.Add(new QueryWrapperFilter(c));
        }

        if (filters.Count <= 1)
        {
            return filters.FirstOrDefault();
        }

        var all = new BooleanFilter();
        foreach (var f in filters)
        {
            all.Add(f, Occur.MUST);
        }

        return all;
    }
}
