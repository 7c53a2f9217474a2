using System.Globalization;
using System.Text.Json.Nodes;

namespace PaperBot.Testing.FakeDiscord;

/// <summary>
/// Users' reactions as Discord delivers them: MESSAGE_REACTION_ADD / _REMOVE / _REMOVE_ALL / _REMOVE_EMOJI, only to a
/// session that identified with GUILD_MESSAGE_REACTIONS (1 &lt;&lt; 10; DIRECT_MESSAGE_REACTIONS, 1 &lt;&lt; 13, in DMs). A
/// reaction the session has no intent for is applied to the message but not sent, and counted in
/// <see cref="WithheldForIntents"/>. A second reaction of the same user with the same emoji changes nothing and sends nothing.
/// </summary>
public sealed partial class FakeGateway
{
    public const int GuildMessageReactionsIntent = 1 << 10;
    public const int DirectMessageReactionsIntent = 1 << 13;

    private int _identifiedIntents;
    private int _withheldForIntents;

    /// <summary>The intents of the last IDENTIFY.</summary>
    public int IdentifiedIntents => Volatile.Read(ref _identifiedIntents);

    /// <summary>Reaction events not sent because the session lacked the reaction intent.</summary>
    public int WithheldForIntents => Volatile.Read(ref _withheldForIntents);

    /// <summary>A user reacts to a message (in the first guild unless <paramref name="guildId"/> is given; 0 = a DM). Returns
    /// true when MESSAGE_REACTION_ADD was dispatched.</summary>
    public Task<bool> AddReactionAsync(ulong channelId, ulong messageId, string emoji, FakeUser user, ulong? guildId = null)
    {
        var (status, error) = _server.Rest.React(channelId, messageId, emoji, user.Id, add: true, out var changed);
        if (status != 204)
        {
            throw new InvalidOperationException($"Discord would refuse this reaction: {error?.ToJsonString()}");
        }

        return changed ? DispatchReactionAsync("MESSAGE_REACTION_ADD", channelId, messageId, emoji, user, guildId) : Task.FromResult(false);
    }

    /// <summary>A user removes a reaction. Returns true when MESSAGE_REACTION_REMOVE was dispatched.</summary>
    public Task<bool> RemoveReactionAsync(ulong channelId, ulong messageId, string emoji, FakeUser user, ulong? guildId = null)
    {
        _server.Rest.React(channelId, messageId, emoji, user.Id, add: false, out var changed);
        return changed ? DispatchReactionAsync("MESSAGE_REACTION_REMOVE", channelId, messageId, emoji, user, guildId) : Task.FromResult(false);
    }

    /// <summary>A moderator removes every reaction of a message (MESSAGE_REACTION_REMOVE_ALL), or those with one emoji
    /// (MESSAGE_REACTION_REMOVE_EMOJI).</summary>
    public Task<bool> ClearReactionsAsync(ulong channelId, ulong messageId, string? emoji = null, ulong? guildId = null)
    {
        if (!_server.Rest.ClearReactions(messageId, emoji))
        {
            return Task.FromResult(false);
        }

        var d = Target(channelId, messageId, guildId);
        if (emoji is not null)
        {
            d["emoji"] = FakeRest.EmojiJson(emoji);
        }

        return SendIfIntendedAsync(emoji is null ? "MESSAGE_REACTION_REMOVE_ALL" : "MESSAGE_REACTION_REMOVE_EMOJI", d, GuildOf(guildId));
    }

    internal Task<bool> DispatchReactionAsync(string name, ulong channelId, ulong messageId, string emoji, FakeUser user, ulong? guildId)
    {
        var d = Target(channelId, messageId, guildId);
        d["user_id"] = Id(user.Id);
        d["emoji"] = FakeRest.EmojiJson(emoji);
        d["burst"] = false;
        d["type"] = 0;
        if (name == "MESSAGE_REACTION_ADD")
        {
            d["burst_colors"] = new JsonArray();
            if (_server.Rest.FindMessage(messageId)?["author"]?["id"] is { } author)
            {
                d["message_author_id"] = author.DeepClone();
            }

            if (GuildOf(guildId) != 0)
            {
                d["member"] = new JsonObject
                {
                    ["user"] = user.Id == _server.Options.BotUserId ? _server.Rest.BotUser() : user.ToJson(),
                    ["roles"] = new JsonArray(),
                    ["joined_at"] = "2024-01-01T00:00:00.000000+00:00",
                    ["deaf"] = false,
                    ["mute"] = false,
                    ["flags"] = 0,
                };
            }
        }

        return SendIfIntendedAsync(name, d, GuildOf(guildId));
    }

    private async Task<bool> SendIfIntendedAsync(string name, JsonObject d, ulong guild)
    {
        var needed = guild != 0 ? GuildMessageReactionsIntent : DirectMessageReactionsIntent;
        if ((IdentifiedIntents & needed) == 0 || _current is null)
        {
            Interlocked.Increment(ref _withheldForIntents);
            return false;
        }

        await DispatchAsync(name, d).ConfigureAwait(false);
        return true;
    }

    private JsonObject Target(ulong channelId, ulong messageId, ulong? guildId)
    {
        var d = new JsonObject { ["channel_id"] = Id(channelId), ["message_id"] = Id(messageId) };
        if (GuildOf(guildId) is var g and not 0)
        {
            d["guild_id"] = Id(g);
        }

        return d;
    }

    private ulong GuildOf(ulong? guildId) => guildId ?? _server.Options.Guilds.FirstOrDefault();

    private static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);
}
