using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PaperBot.Testing.FakeDiscord;

/// <summary>
/// Reactions: the bot's own (PUT/DELETE …/reactions/{emoji}/@me) and users' (through <see cref="FakeGateway"/>'s
/// reaction methods). Each message keeps, per emoji, who reacted, so a user reacts at most once per emoji (Discord sends no
/// second event), a message has at most 20 different emoji (30010), an emoji that is neither Unicode nor "name:id" is
/// 10014 Unknown Emoji, and a message the fake does not know is 10008. Discord also dispatches MESSAGE_REACTION_ADD for the
/// bot's own reactions; so does the fake.
/// </summary>
public sealed partial class FakeRest
{
    public const int MaxReactionEmojiPerMessage = 20;

    private readonly ConcurrentDictionary<ulong, Dictionary<string, HashSet<ulong>>> _reactions = new();

    /// <summary>How many users reacted to a message with an emoji (the bot's own reaction included).</summary>
    public int ReactionCount(ulong messageId, string emoji) =>
        _reactions.TryGetValue(messageId, out var byEmoji) ? Locked(byEmoji, () => byEmoji.TryGetValue(emoji, out var users) ? users.Count : 0) : 0;

    /// <summary>The emoji the bot itself reacted with on a message, in the order they were added.</summary>
    public IReadOnlyList<string> OwnReactions(ulong messageId) =>
        _reactions.TryGetValue(messageId, out var byEmoji)
            ? Locked(byEmoji, () => byEmoji.Where(kv => kv.Value.Contains(_server.Options.BotUserId)).Select(kv => kv.Key).ToList())
            : [];

    private (int, JsonNode?) AddOwnReaction(Match m, JsonNode? body)
    {
        var (status, error) = React(ulong.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            Uri.UnescapeDataString(m.Groups[3].Value), _server.Options.BotUserId, add: true, out var changed);
        if (status == 204 && changed)
        {
            var (channel, message, emoji) = (m.Groups[1].Value, m.Groups[2].Value, Uri.UnescapeDataString(m.Groups[3].Value));
            _ = Task.Run(() => _server.Gateway.DispatchReactionAsync("MESSAGE_REACTION_ADD", ulong.Parse(channel, CultureInfo.InvariantCulture),
                ulong.Parse(message, CultureInfo.InvariantCulture), emoji, BotAsUser(), null));
        }

        return (status, error);
    }

    private (int, JsonNode?) DeleteOwnReaction(Match m, JsonNode? body)
    {
        var (status, error) = React(ulong.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            Uri.UnescapeDataString(m.Groups[3].Value), _server.Options.BotUserId, add: false, out var changed);
        if (status == 204 && changed)
        {
            var (channel, message, emoji) = (m.Groups[1].Value, m.Groups[2].Value, Uri.UnescapeDataString(m.Groups[3].Value));
            _ = Task.Run(() => _server.Gateway.DispatchReactionAsync("MESSAGE_REACTION_REMOVE", ulong.Parse(channel, CultureInfo.InvariantCulture),
                ulong.Parse(message, CultureInfo.InvariantCulture), emoji, BotAsUser(), null));
        }

        return (status, error);
    }

    /// <summary>Adds or removes one user's reaction. 204 (changed says whether anything changed) or Discord's error.</summary>
    internal (int Status, JsonNode? Error) React(ulong channelId, ulong messageId, string emoji, ulong userId, bool add, out bool changed)
    {
        changed = false;
        if (!IsValidEmoji(emoji))
        {
            return (400, new JsonObject { ["message"] = "Unknown Emoji", ["code"] = 10014 });
        }

        if (FindMessage(messageId) is not { } msg || msg["channel_id"]?.GetValue<string>() != Id(channelId))
        {
            return (404, new JsonObject { ["message"] = "Unknown Message", ["code"] = 10008 });
        }

        var byEmoji = _reactions.GetOrAdd(messageId, _ => new Dictionary<string, HashSet<ulong>>(StringComparer.Ordinal));
        lock (byEmoji)
        {
            if (add)
            {
                if (!byEmoji.TryGetValue(emoji, out var users))
                {
                    if (byEmoji.Count(kv => kv.Value.Count > 0) >= MaxReactionEmojiPerMessage)
                    {
                        return (400, new JsonObject { ["message"] = $"Maximum number of reactions reached ({MaxReactionEmojiPerMessage})", ["code"] = 30010 });
                    }

                    users = [];
                    byEmoji[emoji] = users;
                }

                changed = users.Add(userId);
            }
            else
            {
                changed = byEmoji.TryGetValue(emoji, out var users) && users.Remove(userId);
            }

            msg["reactions"] = ReactionsJson(byEmoji);
        }

        return (204, null);
    }

    /// <summary>Removes every reaction of a message, or those with one emoji; false when there were none.</summary>
    internal bool ClearReactions(ulong messageId, string? emoji)
    {
        if (!_reactions.TryGetValue(messageId, out var byEmoji))
        {
            return false;
        }

        lock (byEmoji)
        {
            var removed = emoji is null ? byEmoji.Values.Sum(u => u.Count) : byEmoji.TryGetValue(emoji, out var users) ? users.Count : 0;
            if (emoji is null)
            {
                byEmoji.Clear();
            }
            else
            {
                byEmoji.Remove(emoji);
            }

            if (FindMessage(messageId) is { } msg)
            {
                msg["reactions"] = ReactionsJson(byEmoji);
            }

            return removed > 0;
        }
    }

    /// <summary>A Unicode emoji (no ASCII letters or digits only) or a custom emoji "name:id".</summary>
    internal static bool IsValidEmoji(string emoji)
    {
        if (string.IsNullOrEmpty(emoji) || emoji.Length > 100)
        {
            return false;
        }

        var colon = emoji.IndexOf(':');
        if (colon >= 0)
        {
            return colon > 0 && colon < emoji.Length - 1 && emoji[(colon + 1)..].All(char.IsAsciiDigit) && emoji[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        }

        // keycaps (1️⃣) start with an ASCII digit but carry U+20E3; plain text such as "thumbsup" or "1" is not an emoji
        return emoji.Any(c => c > 0x7F);
    }

    private JsonArray ReactionsJson(Dictionary<string, HashSet<ulong>> byEmoji) =>
        new(byEmoji.Where(kv => kv.Value.Count > 0).Select(kv => (JsonNode)new JsonObject
        {
            ["emoji"] = EmojiJson(kv.Key),
            ["count"] = kv.Value.Count,
            ["count_details"] = new JsonObject { ["burst"] = 0, ["normal"] = kv.Value.Count },
            ["burst_colors"] = new JsonArray(),
            ["me"] = kv.Value.Contains(_server.Options.BotUserId),
            ["me_burst"] = false,
            ["burst_count"] = 0,
        }).ToArray());

    internal static JsonObject EmojiJson(string emoji)
    {
        var colon = emoji.IndexOf(':');
        return colon > 0
            ? new JsonObject { ["id"] = emoji[(colon + 1)..], ["name"] = emoji[..colon] }
            : new JsonObject { ["id"] = null, ["name"] = emoji };
    }

    private FakeUser BotAsUser() => new(_server.Options.BotUserId, _server.Options.BotUsername);

    private static T Locked<T>(object gate, Func<T> read)
    {
        lock (gate)
        {
            return read();
        }
    }
}
