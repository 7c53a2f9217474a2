using PaperBot.Bot.Formatting;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Models;
using static PaperBot.Bot.Commands.CommandOptions;

namespace PaperBot.Bot.Commands;

/// <summary>/help: what each command does.</summary>
public sealed class HelpCommand : ISlashCommand
{
    public const string Text =
        "**/search** `query` [from] [to] [min_upvotes] [sort] — search papers; ◀ ▶ buttons page through the results.\n" +
        "**/paper** `id` — details and arXiv / PDF / HF / code links (start typing a title to pick the id).\n" +
        "**/summarize** `id` [style] — TL;DR, ELI5 or technical summary with citations.\n" +
        "**/compare** `ids` — 2–5 papers side by side.\n" +
        "**/ask** `question` — an answer grounded in the papers, with numbered references.\n" +
        "**/related** `id` — similar papers.\n" +
        "**/trending** [days] [top] [scope] — this server's trending papers (upvotes blended with reactions, views, summaries and questions here), or `scope:global` for HF upvotes only.\n" +
        "**/cite** `ids` [format] — BibTeX, Markdown or RIS citations (a file when long).\n" +
        "**/usage** — your AI token use today and this month, and its estimated cost.\n" +
        "**/readinggroup** schedule | list | cancel | notes — a reading session: a Discord event and a discussion thread with a pre-read and questions; a reminder before it starts.\n" +
        "**/vote** `papers` [hours] — a poll on which paper to read next; I announce the winner.\n" +
        "**/subscribe** `keywords` / **/unsubscribe** — a daily DM with new papers matching your keywords.\n" +
        "**/settings trending-channel** — channel, time, time zone, size, topics and ranking of the daily trending post (Manage Server).\n\n" +
        "You can also mention me with a question: I answer in a thread and remember the conversation there. DMs work too.";

    public ApplicationCommand Definition { get; } = Command("help", "What PaperBot can do");

    public ResponseMode Mode => ResponseMode.Immediate;

    public bool Costly => false;

    public Task<CommandReply> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) =>
        Task.FromResult(CommandReply.Of(new MessageBuilder()
            .AddEmbed(e => e.WithTitle("PaperBot — research papers in Discord").WithColor(PaperEmbeds.Color).WithDescription(Text))
            .AsEphemeral()));
}
