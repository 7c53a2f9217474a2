namespace PaperBot.Bot.Chat;

/// <summary>A thread the bot opened for a question; messages in it continue that conversation. Keyed by thread id.</summary>
public sealed class ChatThread
{
    public ulong ThreadId { get; set; }

    public ulong ParentChannelId { get; set; }

    public ulong? GuildId { get; set; }

    public ulong StartedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
