using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Index;
using Lucene.Net.Queries;
using Lucene.Net.Search;
using PaperBot.Core.Search.Syntax;

namespace PaperBot.Core.Search.Indexing;

/// <summary>
/// Turns a <see cref="SearchQuery"/> into Lucene queries: a bag-of-words BM25 query (each analysed term once,
/// weighted by how often it occurs in the query) over the combined field, plus optional title weight; the query
/// syntax's constraints (<see cref="ParsedQuery"/>: phrases, exclusions, title:, prefix*) as clauses that must (not)
/// match but add nothing to the score; filters (dates, upvotes, author:/--author) as Lucene filters.
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
    public Query? Build(SearchQuery query) => Build(query, ParsedQuery.Parse(query.Text));

    public Query? Build(SearchQuery query, ParsedQuery parsed)
    {
        var scoring = Scoring(parsed.RankedText);
        var constraints = Constraints(parsed);
        if (scoring is null && constraints.Count == 0)
        {
            return HasFilters(query) || parsed.Authors.Count > 0 ? new MatchAllDocsQuery() : null;
        }

        if (constraints.Count == 0)
        {
            return scoring;
        }

        var all = new BooleanQuery(disableCoord: true)
        {
            { scoring ?? new MatchAllDocsQuery(), scoring is null ? Occur.MUST : Occur.SHOULD },
        };
        if (constraints.All(c => c.Occur == Occur.MUST_NOT))
        {
            // Only exclusions: something positive must match (the ranked words, or everything when there are none).
            all = new BooleanQuery(disableCoord: true) { { scoring ?? new MatchAllDocsQuery(), Occur.MUST } };
        }

        foreach (var (q, occur) in constraints)
        {
            // Constraints decide what matches; the score stays the BM25 of the ranked words.
            all.Add(occur == Occur.MUST ? new ConstantScoreQuery(q) { Boost = 0f } : q, occur);
        }

        return all;
    }

    /// <summary>The BM25 bag of words for <paramref name="text"/>, or null when it has no searchable term.</summary>
    public Query? Scoring(string text)
    {
        var terms = AnalyzeTerms(text);
        if (terms.Count == 0)
        {
            return null;
        }

        var bq = new BooleanQuery(disableCoord: true);
        // Long pasted texts: keep the first terms within Lucene's clause limit.
        var perTerm = settings.TitleBoost > 0 ? 2 : 1;
        foreach (var (term, count) in terms.Take(BooleanQuery.MaxClauseCount / perTerm - 16))
        {
            bq.Add(new TermQuery(new Term(PaperFields.Text, term)) { Boost = count }, Occur.SHOULD);
            if (settings.TitleBoost > 0)
            {
                bq.Add(new TermQuery(new Term(PaperFields.Title, term)) { Boost = count * settings.TitleBoost }, Occur.SHOULD);
            }
        }

        return bq;
    }

    /// <summary>
    /// The highest BM25 score any paper could reach for <paramref name="text"/> (every term saturated in both fields):
    /// BM25 divided by it is comparable across queries (<see cref="Ranking.RelevanceModel"/>).
    /// </summary>
    public double MaxScore(string text, IndexReader reader)
    {
        var max = 0.0;
        var docs = Math.Max(1, reader.MaxDoc);
        foreach (var (term, count) in AnalyzeTerms(text))
        {
            var idf = Idf(reader.DocFreq(new Term(PaperFields.Text, term)), docs);
            var titleIdf = settings.TitleBoost > 0 ? Idf(reader.DocFreq(new Term(PaperFields.Title, term)), docs) : 0;
            max += count * (settings.K1 + 1) * (idf + settings.TitleBoost * titleIdf);
        }

        return max;
    }

    /// <summary>Lucene's BM25 idf.</summary>
    private static double Idf(int docFreq, int docCount) => Math.Log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5));

    private List<(Query Query, Occur Occur)> Constraints(ParsedQuery parsed)
    {
        var list = new List<(Query, Occur)>();
        foreach (var p in parsed.Phrases)
        {
            list.Add((PhraseOf(PaperFields.Text, p) ?? NoMatch, Occur.MUST));
        }

        foreach (var t in parsed.Title)
        {
            list.Add((PhraseOf(PaperFields.Title, t) ?? NoMatch, Occur.MUST));
        }

        foreach (var p in parsed.Prefixes)
        {
            list.Add((new PrefixQuery(new Term(PaperFields.Text, p)), Occur.MUST));
        }

        foreach (var e in parsed.Excluded)
        {
            if (PhraseOf(PaperFields.Text, e) is { } q)
            {
                list.Add((q, Occur.MUST_NOT));
            }
        }

        return list;
    }

    private static TermQuery NoMatch => new(new Term(PaperFields.Id, "\u0000"));

    /// <summary>A term query for one analysed term, a positional phrase for several (stop-word gaps kept), null for none.</summary>
    private Query? PhraseOf(string field, string text)
    {
        var terms = new List<(string Term, int Position)>();
        using (var ts = english.GetTokenStream(field, text))
        {
            var term = ts.AddAttribute<ICharTermAttribute>();
            var inc = ts.AddAttribute<IPositionIncrementAttribute>();
            ts.Reset();
            var pos = -1;
            while (ts.IncrementToken())
            {
                pos += inc.PositionIncrement;
                terms.Add((term.ToString(), pos));
            }

            ts.End();
        }

        if (terms.Count == 0)
        {
            return null;
        }

        if (terms.Count == 1)
        {
            return new TermQuery(new Term(field, terms[0].Term));
        }

        var phrase = new PhraseQuery();
        foreach (var (t, p) in terms)
        {
            phrase.Add(new Term(field, t), p);
        }

        return phrase;
    }

    public static bool HasFilters(SearchQuery q) =>
        q.From is not null || q.To is not null || q.MinUpvotes is not null || !string.IsNullOrWhiteSpace(q.AuthorOrOrganization);

    /// <summary>All filters of <paramref name="query"/> combined (AND), author: terms of its text included; null when none.</summary>
    public Filter? BuildFilter(SearchQuery query) => BuildFilter(query, ParsedQuery.Parse(query.Text));

    public Filter? BuildFilter(SearchQuery query, ParsedQuery parsed)
    {
        // Date and upvote ranges are checked against the doc values (no indexed numeric terms needed, see Int32RangeFilter).
        var filters = new List<Filter>();
        var clauses = new List<Query>();
        if (query.From is not null || query.To is not null)
        {
            int? from = query.From is { } f ? PaperIndex.DateKey(f) : null;
            int? to = query.To is { } t ? PaperIndex.DateKey(t) : null;
            // Papers without any date are stored as 0: an open lower bound must not let them in.
            filters.Add(new Int32RangeFilter(PaperFields.DateSort, from ?? 1, to ?? int.MaxValue));
        }

        if (query.MinUpvotes is { } min)
        {
            filters.Add(new Int32RangeFilter(PaperFields.UpvotesSort, min, int.MaxValue));
        }

        var who = parsed.Authors.ToList();
        if (!string.IsNullOrWhiteSpace(query.AuthorOrOrganization))
        {
            who.Add(query.AuthorOrOrganization);
        }

        foreach (var name in who)
        {
            var tokens = PaperAnalyzers.Terms(names, PaperFields.Who, name);
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
