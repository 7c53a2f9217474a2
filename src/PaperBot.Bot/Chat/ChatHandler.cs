using System.Globalization;
using Microsoft.Extensions.Logging;
using PaperBot.AI;
using PaperBot.Bot.Formatting;
using PaperBot.Bot.RateLimiting;
using PaperBot.Bot.Trending;
using PaperBot.Core.Persistence;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Gateway;
using PaperBot.Discord.Models;
using PaperBot.Discord.Rest;

namespace PaperBot.Bot.Chat;

/// <summary>
/// Answers questions when the bot is mentioned in a channel or DMed. A channel question opens a thread from the message and
/// follow-ups in that thread share its memory (conversation key = thread id). Other bots and the bot itself are ignored.
/// Every reply goes out with allowed_mentions {"parse":[]} (the MessageBuilder default), so nothing an answer says can ping.
/// </summary>
public sealed class ChatHandler(
    IDiscordRestClient rest,
    IPaperAssistant assistant,
    UserRateLimiter limiter,
    GatewayClient gateway,
    IRecordStore<ChatThread> threads,
    TimeProvider time,
    IPaperSignals signals,
    ILogger<ChatHandler> logger)
{
    public const string Greeting = "Hi! Ask me about research papers — e.g. \"what's new in diffusion for video?\" — or try `/help`.";

    /// <summary>True when the message is one the bot should answer (and not its own or another bot's).</summary>
    public bool ShouldAnswer(Message message)
    {
        var self = gateway.CurrentUser?.Id ?? 0;
        if (self == 0 || message.Author is null || message.Author.Bot == true || message.Author.Id == self || message.WebhookId is not null)
        {
            return false;
        }

        if (message.GuildId is null)
        {
            return true; // a DM
        }

        return IsMentioned(message, self) || threads.Get(Key(message.ChannelId)) is not null;
    }

    public async Task HandleAsync(Message message, CancellationToken ct)
    {
        if (!ShouldAnswer(message))
        {
            return;
        }

        var self = gateway.CurrentUser?.Id ?? 0;
        var question = ChatText.StripMention(message.Content, self);
        var userId = message.Author!.Id;
        if (question.Length == 0)
        {
            await ReplyAsync(message.ChannelId, message.Id, Greeting, ct);
            return;
        }

        using var lease = limiter.TryAcquire(userId);
        if (!lease.Allowed)
        {
            await ReplyAsync(message.ChannelId, message.Id, lease.Message!, ct);
            return;
        }

        var (channel, conversation, replyTo) = await WhereToAnswerAsync(message, question, ct);
        AssistantAnswer answer;
        try
        {
            answer = await assistant.AskAsync(new AskRequest
            {
                ConversationKey = conversation,
                UserId = userId.ToString(CultureInfo.InvariantCulture),
                GuildId = message.GuildId?.ToString(CultureInfo.InvariantCulture),
                Question = question,
            }, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(ex, "Chat answer failed");
            await ReplyAsync(channel, replyTo, "Sorry, I couldn't answer that just now. Please try again in a moment.", ct);
            return;
        }

        signals.Asked(message.GuildId, answer.Citations.Select(c => c.PaperId));
        var first = true;
        foreach (var part in AnswerMessages.BuildAny(answer))
        {
            if (first && replyTo is { } r)
            {
                part.ReplyToMessage(r, channel);
            }

            first = false;
            await rest.CreateMessageAsync(channel, part.Build(), ct);
        }
    }

    /// <summary>DM and thread: answer in place. Channel: open a thread from the message (fall back to a reply in place).</summary>
    private async Task<(ulong Channel, string Conversation, ulong? ReplyTo)> WhereToAnswerAsync(Message message, string question, CancellationToken ct)
    {
        if (message.GuildId is null)
        {
            return (message.ChannelId, "dm:" + Key(message.ChannelId), message.Id);
        }

        if (threads.Get(Key(message.ChannelId)) is not null)
        {
            return (message.ChannelId, "thread:" + Key(message.ChannelId), null);
        }

        try
        {
            var thread = await rest.StartThreadFromMessageAsync(message.ChannelId, message.Id, ChatText.ThreadName(question), 1440, ct);
            threads.Put(Key(thread.Id), new ChatThread
            {
                ThreadId = thread.Id,
                ParentChannelId = message.ChannelId,
                GuildId = message.GuildId,
                StartedBy = message.Author!.Id,
                CreatedAt = time.GetUtcNow(),
            });
            return (thread.Id, "thread:" + Key(thread.Id), null);
        }
        catch (DiscordRestException ex)
        {
            // e.g. the message is already in a thread, or the bot may not create threads here
            logger.LogInformation("Could not open a thread in channel {Channel} ({Status}); answering in place", message.ChannelId, (int)ex.StatusCode);
            return (message.ChannelId, "thread:" + Key(message.ChannelId), message.Id);
        }
    }

    private async Task ReplyAsync(ulong channelId, ulong? messageId, string text, CancellationToken ct)
    {
        var m = new MessageBuilder(text);
        if (messageId is { } id)
        {
            m.ReplyToMessage(id, channelId);
        }

        await rest.CreateMessageAsync(channelId, m.Build(), ct);
    }

    private static bool IsMentioned(Message message, ulong self) =>
        message.Mentions?.Any(u => u.Id == self) == true || ChatText.Mentions(message.Content, self);

    private static string Key(ulong id) => id.ToString(CultureInfo.InvariantCulture);
}
