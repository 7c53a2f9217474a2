using PaperBot.Core.Citations;
using PaperBot.Core.Papers;
using PaperBot.Ingestion;

namespace PaperBot.Cli.Commands;

/// <summary>`cite ID...`: citations of stored papers as BibTeX, Markdown or RIS (the text /cite sends), on stdout.</summary>
public sealed class CiteCommand(CliConsole console, IPaperStore store, SampleCorpusLoader sample) : ICliCommand<CiteCommand.Input>
{
    private static readonly Dictionary<string, CitationFormat> Formats = new(StringComparer.OrdinalIgnoreCase)
    {
        ["bibtex"] = CitationFormat.BibTex,
        ["bib"] = CitationFormat.BibTex,
        ["markdown"] = CitationFormat.Markdown,
        ["md"] = CitationFormat.Markdown,
        ["ris"] = CitationFormat.Ris,
    };

    public sealed record Input(IReadOnlyList<string> Ids, CitationFormat Format);

    public static CliVerb Define()
    {
        var ids = CliOptions.Words("id", "Paper ids, arXiv ids or arXiv / Hugging Face links");
        var format = CliOptions.Choice("--format", CitationFormat.BibTex, Formats, [.. CitationFormats.Names], "Citation format");
        return CliVerb.For<CiteCommand, Input>("cite", "Citations for papers as BibTeX (default), Markdown or RIS.",
            [ids, format],
            r => r.GetValue(ids) is { Length: > 0 } given
                ? new Input(given, r.GetValue(format))
                : throw new CliUsageException("give at least one paper id: paperbot cite <id>... [--format bibtex|markdown|ris]"));
    }

    public async Task<int> ExecuteAsync(Input input, CancellationToken cancellationToken)
    {
        await sample.EnsureSampleLoadedAsync(cancellationToken);
        var found = new List<Paper>();
        var missing = new List<string>();
        foreach (var id in input.Ids)
        {
            if (SearchOutput.FindPaper(store, id) is not { } p)
            {
                missing.Add(id);
            }
            else if (found.All(f => f.Id != p.Id))
            {
                found.Add(p);
            }
        }

        if (found.Count > 0)
        {
            await console.Out.WriteAsync(CitationWriter.Write(found, input.Format));
        }

        if (missing.Count > 0)
        {
            throw new UserFacingException($"no paper with id {string.Join(", ", missing.Select(m => $"'{m}'"))} in the database");
        }

        return 0;
    }
}
