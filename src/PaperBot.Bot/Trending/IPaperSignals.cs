namespace PaperBot.Bot.Trending;

/// <summary>
/// The hook through which the bot's features report interest in papers for per-server trending: /paper views, summaries,
/// papers cited in answers to members' questions (chat and /ask pass the answer's citations), and bot messages whose
/// reactions count. Outside a server (DMs, the CLI) nothing is recorded. Implementations keep counts only.
/// </summary>
public interface IPaperSignals
{
    void Viewed(ulong? guildId, string paperId);

    void Summarized(ulong? guildId, string paperId);

    /// <summary>The papers an answer to a member's question cited (each counted once per answer).</summary>
    void Asked(ulong? guildId, IEnumerable<string> paperIds);

    /// <summary>Remembers a bot message so that reactions on it count for its papers.</summary>
    void RememberMessage(ulong? guildId, ulong channelId, ulong messageId, PaperMessageKind kind, IReadOnlyList<string> paperIds);
}
