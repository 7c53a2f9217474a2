using System.Globalization;
using System.Text;
using System.Text.Json;
using PaperBot.Core.Papers;
using PaperBot.Ingestion;

namespace PaperBot.Cli.Commands;

/// <summary>`show ID`: every field of one paper, with its links.</summary>
public sealed class ShowCommand(CliConsole console, IPaperStore store, SampleCorpusLoader sample) : ICliCommand<ShowCommand.Input>
{
    public sealed record Input(string Id, bool Json);

    public static CliVerb Define()
    {
        var id = CliOptions.One("id", "A paper id, an arXiv id, or an arXiv / Hugging Face link");
        var json = CliOptions.Json();
        return CliVerb.For<ShowCommand, Input>("show", "Show one paper: all fields and links (id, arXiv id or link).",
            [id, json], r => new Input(r.GetValue(id)!, r.GetValue(json)));
    }

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        await sample.EnsureSampleLoadedAsync(cancellationToken);
        var paper = SearchOutput.FindPaper(store, input.Id)
            ?? throw new UserFacingException($"no paper with id '{input.Id}' in the database");
        var links = Links(paper);
        if (input.Json)
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(new
            {
                id = paper.Id,
                arxivId = paper.ArxivId,
                title = paper.Title,
                @abstract = paper.Abstract,
                authors = paper.Authors,
                authorCount = paper.AuthorCount ?? (paper.Authors.Count > 0 ? paper.Authors.Count : null),
                organization = paper.Organization,
                published = Date(paper.Published),
                featuredOn = Date(paper.FeaturedOn),
                upvotes = paper.Upvotes,
                links = links.ToDictionary(l => l.Key, l => l.Value),
                githubStars = paper.GithubStars,
                keywords = paper.Keywords,
                categories = paper.Categories,
                aiSummary = paper.AiSummary,
                sources = paper.Sources,
            }, SearchOutput.Json));
            return 0;
        }

        var rows = new List<(string, string?)>
        {
            ("id", paper.Id),
            ("arXiv id", paper.ArxivId),
            ("title", paper.Title),
            ("authors", paper.Authors.Count > 0 ? string.Join(", ", paper.Authors) : null),
            ("author count", (paper.AuthorCount ?? (paper.Authors.Count > 0 ? paper.Authors.Count : null))?.ToString(CultureInfo.InvariantCulture)),
            ("organisation", paper.Organization),
            ("published", Date(paper.Published)),
            ("featured", Date(paper.FeaturedOn)),
            ("upvotes", paper.Upvotes?.ToString(CultureInfo.InvariantCulture)),
            ("GitHub stars", paper.GithubStars?.ToString(CultureInfo.InvariantCulture)),
            ("keywords", paper.Keywords.Count > 0 ? string.Join(", ", paper.Keywords) : null),
            ("categories", paper.Categories.Count > 0 ? string.Join(", ", paper.Categories) : null),
            ("sources", paper.Sources.Count > 0 ? string.Join(", ", paper.Sources) : null),
        };
        rows.AddRange(links.Select(l => (l.Key, (string?)l.Value)));

        var width = rows.Max(r => r.Item1.Length);
        var sb = new StringBuilder();
        foreach (var (label, value) in rows.Where(r => !string.IsNullOrWhiteSpace(r.Item2)))
        {
            sb.Append(label.PadRight(width)).Append("  ").Append(value).Append('\n');
        }

        if (!string.IsNullOrWhiteSpace(paper.Abstract))
        {
            sb.Append("\nabstract:\n").Append(Wrap(paper.Abstract, 100)).Append('\n');
        }

        if (!string.IsNullOrWhiteSpace(paper.AiSummary))
        {
            sb.Append("\nAI summary:\n").Append(Wrap(paper.AiSummary, 100)).Append('\n');
        }

        await console.Out.WriteAsync(sb.ToString());
        return 0;
    }

    /// <summary>The paper's links; arXiv abs/PDF links are derived from the arXiv id when the source gave none.</summary>
    public static List<KeyValuePair<string, string>> Links(Paper p)
    {
        var links = new List<KeyValuePair<string, string>>();
        void Add(string name, string? url)
        {
            if (!string.IsNullOrWhiteSpace(url))
            {
                links.Add(new(name, url));
            }
        }

        Add("arXiv", p.ArxivUrl ?? (p.ArxivId is { Length: > 0 } a ? $"https://arxiv.org/abs/{a}" : null));
        Add("PDF", p.PdfUrl ?? (p.ArxivId is { Length: > 0 } b ? $"https://arxiv.org/pdf/{b}" : null));
        Add("Hugging Face", p.HfUrl);
        Add("GitHub", p.GithubUrl);
        Add("project page", p.ProjectPage);
        return links;
    }

    private static string? Date(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Wrap(string text, int width)
    {
        var sb = new StringBuilder();
        var line = 0;
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (line > 0 && line + 1 + word.Length > width)
            {
                sb.Append('\n');
                line = 0;
            }
            else if (line > 0)
            {
                sb.Append(' ');
                line++;
            }

            sb.Append(word);
            line += word.Length;
        }

        return sb.ToString();
    }
}
