using System.Globalization;
using System.Net;
using PaperBot.AI;
using PaperBot.AI.Offline;
using PaperBot.Bot.Commands;
using PaperBot.Bot.Formatting;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Models;
using PaperBot.Discord.Rest;

namespace PaperBot.Bot.ReadingGroup;

/// <summary>
/// /readinggroup notes: a short digest of a session thread's discussion, posted in the thread. It reads the thread's
/// latest 100 messages (GET /channels/{thread}/messages) and quotes the members' messages with the most reactions
/// (ties: the earlier message first), escaped and bounded. The bot's own messages and other bots' are left out. With an LLM
/// configured (and within budget) the digest is the model's summary of those messages instead (prompts/session-notes.yaml),
/// escaped like any untrusted text so it cannot ping, link or format.
/// </summary>
public sealed class SessionNotes(IDiscordRestClient rest, IPaperAssistant assistant)
{
    public const int TopMessages = 5;

    public const int ExcerptLength = 200;

    public async Task<CommandReply> PostAsync(ReadingSession session, ulong userId, CancellationToken ct)
    {
        IReadOnlyList<Message> messages;
        try
        {
            messages = await rest.GetChannelMessagesAsync(session.ThreadId, 100, ct);
        }
        catch (DiscordRestException ex) when (ex.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            throw new CommandException($"I can't read <#{session.ThreadId}>: it is gone, or I'm missing **Read Message History** there.");
        }

        var members = Members(messages);
        var lines = members.Select(m => $"[{Reactions(m).ToString(CultureInfo.InvariantCulture)}] {PaperText.OneLine(m.Content)}").ToList();
        var llm = await assistant.DiscussionNotesAsync(session.Title, lines,
            new RequestContext(userId.ToString(CultureInfo.InvariantCulture), session.GuildId.ToString(CultureInfo.InvariantCulture)), ct);
        var text = llm is { Backend: "llm", Markdown.Length: > 0 }
            ? PaperText.Truncate(
                $"📝 **Session notes: {MarkdownText.Escape(session.Title)}** — summarized from {members.Count} member message{(members.Count == 1 ? "" : "s")}\n"
                + MarkdownText.Escape(llm.Markdown.Trim()), DiscordLimits.MessageContent)
            : Digest(session, messages);
        await rest.CreateMessageAsync(session.ThreadId, new MessageBuilder(text).WithoutEmbedPreviews().Build(), ct);
        return CommandReply.Of(new MessageBuilder($"📝 Posted the notes of **{MarkdownText.Escape(session.Title)}** in <#{session.ThreadId}>."));
    }

    /// <summary>The digest text (fits one message).</summary>
    public static string Digest(ReadingSession session, IReadOnlyList<Message> messages)
    {
        var members = Members(messages);
        var head = $"📝 **Session notes: {MarkdownText.Escape(session.Title)}**";
        if (members.Count == 0)
        {
            return head + "\nNo discussion in this thread yet.";
        }

        var top = members
            .Select(m => (Message: m, Reactions: Reactions(m)))
            .OrderByDescending(x => x.Reactions)
            .ThenBy(x => x.Message.Id)
            .Take(TopMessages)
            .ToList();
        var lines = top.Select((x, i) =>
        {
            var who = MarkdownText.Escape(PaperText.Truncate(x.Message.Author!.DisplayName, 40));
            var reactions = x.Message.Reactions is { Count: > 0 } rs
                ? " (" + string.Join(" · ", rs.OrderByDescending(r => r.Count).Take(3).Select(r => $"{EmojiText(r.Emoji)} {r.Count.ToString(CultureInfo.InvariantCulture)}")) + ")"
                : "";
            var excerpt = MarkdownText.Escape(PaperText.Truncate(PaperText.OneLine(x.Message.Content), ExcerptLength));
            return $"{(i + 1).ToString(CultureInfo.InvariantCulture)}. **{who}**{reactions}: {excerpt}";
        });
        return PaperText.Truncate(
            $"{head} — the {top.Count} most-reacted of {members.Count} member message{(members.Count == 1 ? "" : "s")}\n{string.Join("\n", lines)}",
            DiscordLimits.MessageContent);
    }

    private static List<Message> Members(IReadOnlyList<Message> messages) =>
        messages.Where(m => m.Author is { Bot: not true } && !string.IsNullOrWhiteSpace(m.Content)).OrderBy(m => m.Id).ToList();

    private static int Reactions(Message m) => m.Reactions?.Sum(r => r.Count) ?? 0;

    private static string EmojiText(PartialEmoji e) => e.Id is null ? e.Name ?? "?" : ":" + MarkdownText.Escape(e.Name ?? "emoji") + ":";
}
