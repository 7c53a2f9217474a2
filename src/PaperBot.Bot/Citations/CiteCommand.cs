using System.Globalization;
using PaperBot.Bot.Commands;
using PaperBot.Bot.Formatting;
using PaperBot.Core.Citations;
using PaperBot.Core.Papers;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Models;
using static PaperBot.Bot.Commands.CommandOptions;

namespace PaperBot.Bot.Citations;

/// <summary>
/// /cite ids [format] [public]: citations of stored papers as BibTeX (default), Markdown or RIS (the same text as
/// `paperbot cite`). Short output comes in a code block; longer output as a file attachment (citations.bib, .md, .ris).
/// Only you see it unless public:true.
/// </summary>
public sealed class CiteCommand(IPaperStore store, PaperSuggestions suggestions) : IAutocompleteCommand
{
    /// <summary>Papers one /cite may list.</summary>
    public const int MaxPapers = 50;

    public ApplicationCommand Definition { get; } = BuildDefinition();

    public ResponseMode Mode => ResponseMode.Immediate;

    public bool Costly => false;

    public Task<CommandReply> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var ids = PaperIdList.Parse(context.RequireString("ids"));
        if (ids.Count == 0)
        {
            throw new CommandException("Give one or more paper ids (or arXiv links) separated by commas or spaces.");
        }

        if (ids.Count > MaxPapers)
        {
            throw new CommandException($"At most {MaxPapers} papers per /cite (got {ids.Count}).");
        }

        var formatText = context.GetString("format") ?? "bibtex";
        if (!CitationFormats.TryParse(formatText, out var format))
        {
            throw new CommandException($"Unknown format `{CommandContext.Sanitize(formatText)}`: use bibtex, markdown or ris.");
        }

        var found = new List<Paper>();
        var missing = new List<string>();
        foreach (var id in ids)
        {
            if (store.Get(id) is { } p)
            {
                found.Add(p);
            }
            else
            {
                missing.Add(id);
            }
        }

        if (found.Count == 0)
        {
            throw new CommandException($"None of these ids is in the database: {string.Join(", ", missing.Select(m => $"`{CommandContext.Sanitize(m)}`"))}. Try `/search`.");
        }

        var text = CitationWriter.Write(found, format);
        var visible = context.Interaction.GetOption("public")?.GetBoolean() == true;
        return Task.FromResult(CommandReply.Of(Message(text, format, found.Count, missing).AsEphemeral(!visible)));
    }

    /// <summary>A code block when it fits in one message, otherwise the text as a file.</summary>
    public static MessageBuilder Message(string text, CitationFormat format, int count, IReadOnlyList<string> missing)
    {
        var what = $"{count.ToString(CultureInfo.InvariantCulture)} citation{(count == 1 ? "" : "s")} ({format.Name()})";
        var note = missing.Count == 0 ? "" : "\nNot in the database: " + string.Join(", ", missing.Take(20).Select(m => $"`{CommandContext.Sanitize(m)}`")) + (missing.Count > 20 ? ", …" : "");
        var block = $"```{format.FenceLanguage()}\n{text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n')}\n```";
        if (!text.Contains("```", StringComparison.Ordinal) && block.Length + note.Length + 1 <= DiscordLimits.MessageContent)
        {
            return new MessageBuilder(block + note);
        }

        var file = "citations" + format.FileExtension();
        return new MessageBuilder($"📎 {what} in `{file}`.{note}")
            .AddTextFile(file, text, description: what, contentType: format.MediaType());
    }

    public Task<IReadOnlyList<ApplicationCommandOptionChoice>> AutocompleteAsync(CommandContext context, InteractionDataOption focused, CancellationToken cancellationToken) =>
        Task.FromResult(focused.Name == "ids" ? suggestions.Suggest(focused.GetString(), multiple: true) : []);

    private static ApplicationCommand BuildDefinition() => Command("cite", "Citations for papers: BibTeX, Markdown or RIS",
        String("ids", "Paper ids or arXiv links, separated by commas — start typing a title", required: true, autocomplete: true, maxLength: 1500),
        String("format", "bibtex (default), markdown or ris").Choices("bibtex", "markdown", "ris"),
        new ApplicationCommandOption
        {
            Type = ApplicationCommandOptionType.Boolean,
            Name = "public",
            Description = "Post it for everyone in the channel (default: only you see it)",
        });
}
