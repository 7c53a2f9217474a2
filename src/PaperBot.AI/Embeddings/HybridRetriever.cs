using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.AI.Configuration;
using PaperBot.AI.Plugins;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;

namespace PaperBot.AI.Embeddings;

/// <summary>
/// BM25 (the Core search service) fused with embedding similarity by reciprocal rank fusion. If the embedding call
/// fails, the lexical results are returned unchanged.
/// </summary>
public sealed class HybridRetriever(ISearchService search, IPaperStore store, PaperEmbeddings embeddings, IOptions<EmbeddingsOptions> options, ILogger<HybridRetriever> logger) : IPaperRetriever
{
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        var depth = Math.Max(query.Top * 3, 30);
        var lexical = search.Search(query with { Top = depth });
        if (query.Sort != SearchSort.Relevance || string.IsNullOrWhiteSpace(query.Text))
        {
            return lexical.Take(query.Top).ToList();
        }

        IReadOnlyList<(string Id, float Score)> semantic;
        try
        {
            await embeddings.BackfillAsync(cancellationToken).ConfigureAwait(false);
            var q = await embeddings.EmbedQueryAsync(query.Text, cancellationToken).ConfigureAwait(false);
            semantic = embeddings.Index.Search(q, depth * 2);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("embedding search unavailable ({Error}); using lexical results only", ex.GetType().Name);
            return lexical.Take(query.Top).ToList();
        }

        var k = options.Value.RrfK;
        var fused = new Dictionary<string, (double Score, Paper? Paper, string Snippet)>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < lexical.Count; i++)
        {
            var h = lexical[i];
            fused[h.Paper.Id] = (1.0 / (k + i + 1), h.Paper, h.Snippet);
        }

        var semanticPapers = store.GetMany(semantic.Select(s => s.Id).Where(id => !fused.ContainsKey(id))).ToDictionary(p => p.Id, StringComparer.OrdinalIgnoreCase);
        var rank = 0;
        foreach (var (id, _) in semantic)
        {
            var paper = fused.TryGetValue(id, out var f) ? f.Paper : semanticPapers.GetValueOrDefault(id);
            if (paper is null || !Matches(paper, query))
            {
                continue;
            }

            rank++;
            fused[id] = (f.Score + 1.0 / (k + rank), paper, f.Snippet ?? "");
        }

        return fused.Values
            .OrderByDescending(v => v.Score)
            .ThenBy(v => v.Paper!.Id, StringComparer.Ordinal)
            .Take(query.Top)
            .Select(v => new SearchHit(v.Paper!, (float)v.Score, v.Snippet))
            .ToList();
    }

    /// <summary>The query's filters, applied to papers found only by the embedding search.</summary>
    public static bool Matches(Paper p, SearchQuery q)
    {
        var date = p.Published ?? p.FeaturedOn;
        if (q.From is { } from && (date is null || date < from))
        {
            return false;
        }

        if (q.To is { } to && (date is null || date > to))
        {
            return false;
        }

        if (q.MinUpvotes is { } min && (p.Upvotes ?? 0) < min)
        {
            return false;
        }

        if (q.AuthorOrOrganization is { Length: > 0 } who &&
            !p.Authors.Any(a => a.Contains(who, StringComparison.OrdinalIgnoreCase)) &&
            !(p.Organization?.Contains(who, StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return false;
        }

        return true;
    }
}
