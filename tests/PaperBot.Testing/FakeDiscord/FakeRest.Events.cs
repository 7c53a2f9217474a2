using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PaperBot.Testing.FakeDiscord;

/// <summary>
/// Guild scheduled events (create, get, list, delete, interested users), forum posts (POST /channels/{forum}/threads with a
/// message), reading channel messages (GET one or the latest, with reaction counts) and native polls (votes, the answer
/// voters route, the poll's end with MESSAGE_UPDATE). Bodies are checked against the OpenAPI spec like every other POST.
/// A scheduled event's start must lie in the future and an external event needs an end time and a location, as on Discord.
/// </summary>
public sealed partial class FakeRest
{
    public const int GuildMessagePollsIntent = 1 << 24;

    private readonly ConcurrentDictionary<ulong, JsonObject> _events = new();
    private readonly ConcurrentDictionary<ulong, HashSet<ulong>> _interested = new();
    private readonly ConcurrentDictionary<ulong, int> _channelTypes = new();
    private readonly ConcurrentDictionary<ulong, Dictionary<ulong, HashSet<int>>> _pollVotes = new();

    /// <summary>Scheduled events that exist (deleted ones are gone), by id.</summary>
    public IReadOnlyDictionary<ulong, JsonObject> ScheduledEvents => _events;

    /// <summary>Every scheduled-event body the bot created, in order (also those deleted later).</summary>
    public ConcurrentQueue<JsonObject> CreatedEvents { get; } = new();

    public ConcurrentQueue<ulong> DeletedEventIds { get; } = new();

    /// <summary>Forum posts (the thread channel objects returned).</summary>
    public ConcurrentQueue<JsonObject> ForumPosts { get; } = new();

    /// <summary>Declares a channel's type (0 text by default; 2 voice, 13 stage, 15 forum).</summary>
    public void SetChannelType(ulong channelId, int type) => _channelTypes[channelId] = type;

    /// <summary>The declared type of a channel (0 text when not declared).</summary>
    public int ChannelType(ulong channelId) => _channelTypes.GetValueOrDefault(channelId);

    /// <summary>A member clicks "Interested" on an event.</summary>
    public void MarkInterested(ulong eventId, ulong userId)
    {
        var set = _interested.GetOrAdd(eventId, _ => []);
        lock (set)
        {
            set.Add(userId);
        }
    }

    /// <summary>Messages in a channel or thread, oldest first.</summary>
    public IReadOnlyList<JsonObject> MessagesIn(ulong channelId) =>
        _messages.Values.Where(m => m["channel_id"]?.GetValue<string>() == Id(channelId)).OrderBy(m => ulong.Parse(m["id"]!.GetValue<string>(), CultureInfo.InvariantCulture)).ToList();

    /// <summary>A member's message stored in a channel (no MESSAGE_CREATE): for reading the discussion back with GET messages.</summary>
    public ulong AddUserMessage(ulong channelId, string content, FakeUser author)
    {
        var msg = NewMessage(channelId, new JsonObject { ["content"] = content }, null);
        msg["author"] = author.ToJson();
        return ulong.Parse(msg["id"]!.GetValue<string>(), CultureInfo.InvariantCulture);
    }

    /// <summary>A member votes for a poll answer: MESSAGE_POLL_VOTE_ADD is dispatched when the bot asked for GUILD_MESSAGE_POLLS.</summary>
    public async Task VoteAsync(ulong messageId, ulong userId, int answerId)
    {
        var msg = FindMessage(messageId) ?? throw new InvalidOperationException("no such message");
        if (msg["poll"] is not JsonObject poll || poll["results"]?["is_finalized"]?.GetValue<bool>() == true)
        {
            throw new InvalidOperationException("the message has no open poll");
        }

        var votes = _pollVotes.GetOrAdd(messageId, _ => []);
        lock (votes)
        {
            if (!votes.TryGetValue(userId, out var mine))
            {
                votes[userId] = mine = [];
            }

            if (poll["allow_multiselect"]?.GetValue<bool>() != true)
            {
                mine.Clear();
            }

            mine.Add(answerId);
        }

        if ((_server.Gateway.IdentifiedIntents & GuildMessagePollsIntent) != 0)
        {
            await _server.Gateway.DispatchAsync("MESSAGE_POLL_VOTE_ADD", new JsonObject
            {
                ["user_id"] = Id(userId),
                ["channel_id"] = msg["channel_id"]!.GetValue<string>(),
                ["message_id"] = Id(messageId),
                ["guild_id"] = Id(_server.Options.Guilds.FirstOrDefault()),
                ["answer_id"] = answerId,
            }).ConfigureAwait(false);
        }
    }

    /// <summary>The poll's time is up: results are finalized and, when <paramref name="dispatch"/>, MESSAGE_UPDATE is sent
    /// (false: the bot was offline and must catch up by reading the message).</summary>
    public async Task EndPollAsync(ulong messageId, bool dispatch = true)
    {
        var msg = FindMessage(messageId) ?? throw new InvalidOperationException("no such message");
        var poll = msg["poll"]!.AsObject();
        poll["results"] = Results(messageId, poll, finalized: true);
        if (dispatch)
        {
            var update = msg.DeepClone().AsObject();
            update["guild_id"] = Id(_server.Options.Guilds.FirstOrDefault());
            await _server.Gateway.DispatchAsync("MESSAGE_UPDATE", update).ConfigureAwait(false);
        }
    }

    private JsonObject Results(ulong messageId, JsonObject poll, bool finalized)
    {
        var counts = new JsonArray();
        var votes = _pollVotes.GetOrAdd(messageId, _ => []);
        lock (votes)
        {
            foreach (var answer in poll["answers"]!.AsArray())
            {
                var id = answer!["answer_id"]!.GetValue<int>();
                var n = votes.Values.Count(v => v.Contains(id));
                if (n > 0)
                {
                    counts.Add(new JsonObject { ["id"] = id, ["count"] = n, ["me_voted"] = false });
                }
            }
        }

        return new JsonObject { ["answer_counts"] = counts, ["is_finalized"] = finalized };
    }

    /// <summary>The stored message's poll in Discord's response shape (answer ids from 1, expiry, empty results).</summary>
    private JsonObject PollResponse(JsonObject request)
    {
        var answers = new JsonArray();
        var i = 0;
        foreach (var a in request["answers"]!.AsArray())
        {
            answers.Add(new JsonObject { ["answer_id"] = ++i, ["poll_media"] = a!["poll_media"]!.DeepClone() });
        }

        var hours = request["duration"]?.GetValue<int>() ?? 24;
        return new JsonObject
        {
            ["question"] = request["question"]!.DeepClone(),
            ["answers"] = answers,
            ["expiry"] = _server.Options.TimeProvider.GetUtcNow().AddHours(hours).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff+00:00", CultureInfo.InvariantCulture),
            ["allow_multiselect"] = request["allow_multiselect"]?.GetValue<bool>() ?? false,
            ["layout_type"] = request["layout_type"]?.GetValue<int>() ?? 1,
            ["results"] = new JsonObject { ["answer_counts"] = new JsonArray(), ["is_finalized"] = false },
        };
    }

    // ---- routes ---------------------------------------------------------------------------------------------------

    private (int, JsonNode?) ListMessages(Match m, JsonNode? body)
    {
        var channel = ulong.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var limit = int.TryParse(_currentQuery.Value?["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : 50;
        if (limit is < 1 or > 100)
        {
            return (400, FormError("limit", "NUMBER_TYPE_MAX", "int value should be less than or equal to 100."));
        }

        var list = new JsonArray();
        foreach (var msg in MessagesIn(channel).AsEnumerable().Reverse().Take(limit))
        {
            list.Add(WithReactions(msg));
        }

        return (200, list);
    }

    private (int, JsonNode?) GetMessage(Match m, JsonNode? body)
    {
        if (FindMessage(ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)) is not { } msg || msg["channel_id"]?.GetValue<string>() != m.Groups[1].Value)
        {
            return (404, new JsonObject { ["message"] = "Unknown Message", ["code"] = 10008 });
        }

        return (200, WithReactions(msg));
    }

    private JsonObject WithReactions(JsonObject msg)
    {
        var copy = msg.DeepClone().AsObject();
        var id = ulong.Parse(msg["id"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        if (_reactions.TryGetValue(id, out var byEmoji))
        {
            var reactions = new JsonArray();
            lock (byEmoji)
            {
                foreach (var (emoji, users) in byEmoji.Where(kv => kv.Value.Count > 0))
                {
                    var colon = emoji.IndexOf(':', StringComparison.Ordinal);
                    reactions.Add(new JsonObject
                    {
                        ["count"] = users.Count,
                        ["count_details"] = new JsonObject { ["burst"] = 0, ["normal"] = users.Count },
                        ["me"] = users.Contains(_server.Options.BotUserId),
                        ["me_burst"] = false,
                        ["burst_colors"] = new JsonArray(),
                        ["emoji"] = colon < 0 ? new JsonObject { ["id"] = null, ["name"] = emoji } : new JsonObject { ["id"] = emoji[(colon + 1)..], ["name"] = emoji[..colon] },
                    });
                }
            }

            copy["reactions"] = reactions;
        }

        return copy;
    }

    private (int, JsonNode?) CreateForumPost(Match m, JsonNode? body)
    {
        var forum = ulong.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        if (body?["message"] is not JsonObject first)
        {
            return (400, FormError("message", "BASE_TYPE_REQUIRED", "This field is required"));
        }

        if (_channelTypes.GetValueOrDefault(forum) is not (15 or 16))
        {
            return (400, new JsonObject { ["message"] = "Cannot execute action on this channel type", ["code"] = 50024 });
        }

        if (Validate(first) is { } error)
        {
            return (400, error);
        }

        var threadId = _server.Snowflakes.Next();
        var thread = new JsonObject
        {
            ["id"] = Id(threadId),
            ["type"] = 11,
            ["guild_id"] = Id(_server.Options.Guilds.FirstOrDefault()),
            ["parent_id"] = Id(forum),
            ["owner_id"] = Id(_server.Options.BotUserId),
            ["name"] = body["name"]!.GetValue<string>(),
            ["last_message_id"] = Id(threadId),
            ["rate_limit_per_user"] = 0,
            ["message_count"] = 1,
            ["member_count"] = 1,
            ["thread_metadata"] = new JsonObject
            {
                ["archived"] = false,
                ["auto_archive_duration"] = body["auto_archive_duration"]?.GetValue<int>() ?? 4320,
                ["archive_timestamp"] = Now(),
                ["locked"] = false,
            },
            ["total_message_sent"] = 1,
        };

        // the starter message of a forum post has the thread's id
        var starter = NewMessage(threadId, first, null);
        _messages.TryRemove(ulong.Parse(starter["id"]!.GetValue<string>(), CultureInfo.InvariantCulture), out _);
        starter["id"] = Id(threadId);
        _messages[threadId] = starter;
        thread["message"] = starter.DeepClone();
        ForumPosts.Enqueue(thread);
        return (201, thread);
    }

    private (int, JsonNode?) PollAnswerVoters(Match m, JsonNode? body)
    {
        var messageId = ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        if (FindMessage(messageId) is not { } msg || msg["poll"] is null)
        {
            return (404, new JsonObject { ["message"] = "Unknown Message", ["code"] = 10008 });
        }

        var answer = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        var users = new JsonArray();
        var votes = _pollVotes.GetOrAdd(messageId, _ => []);
        lock (votes)
        {
            foreach (var (user, answers) in votes.OrderBy(v => v.Key).Take(100))
            {
                if (answers.Contains(answer))
                {
                    users.Add(new FakeUser(user, "user" + Id(user)[^4..]).ToJson());
                }
            }
        }

        return (200, new JsonObject { ["users"] = users });
    }

    private (int, JsonNode?) CreateEvent(Match m, JsonNode? body)
    {
        var o = body!.AsObject();
        var start = DateTimeOffset.Parse(o["scheduled_start_time"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        if (start <= _server.Options.TimeProvider.GetUtcNow())
        {
            return (400, FormError("scheduled_start_time", "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST", "Cannot schedule event in the past."));
        }

        var type = o["entity_type"]!.GetValue<int>();
        if (type == 3 && o["scheduled_end_time"] is null)
        {
            return (400, FormError("scheduled_end_time", "BASE_TYPE_REQUIRED", "This field is required for external events."));
        }

        if (type != 3 && o["channel_id"] is null)
        {
            return (400, FormError("channel_id", "BASE_TYPE_REQUIRED", "This field is required"));
        }

        var id = _server.Snowflakes.Next();
        var e = new JsonObject
        {
            ["id"] = Id(id),
            ["guild_id"] = m.Groups[1].Value,
            ["name"] = o["name"]!.GetValue<string>(),
            ["description"] = o["description"]?.GetValue<string>(),
            ["channel_id"] = type == 3 ? null : o["channel_id"]!.DeepClone(),
            ["creator_id"] = Id(_server.Options.BotUserId),
            ["creator"] = BotUser(),
            ["image"] = null,
            ["scheduled_start_time"] = o["scheduled_start_time"]!.GetValue<string>(),
            ["scheduled_end_time"] = o["scheduled_end_time"]?.GetValue<string>(),
            ["status"] = 1,
            ["entity_type"] = type,
            ["entity_id"] = null,
            ["recurrence_rule"] = null,
            ["privacy_level"] = o["privacy_level"]!.GetValue<int>(),
            ["guild_scheduled_event_exceptions"] = new JsonArray(),
            ["entity_metadata"] = o["entity_metadata"]?.DeepClone() ?? new JsonObject(),
        };
        _events[id] = e;
        CreatedEvents.Enqueue(o.DeepClone().AsObject());
        return (200, e.DeepClone());
    }

    private JsonObject EventView(JsonObject e)
    {
        var copy = e.DeepClone().AsObject();
        if (string.Equals(_currentQuery.Value?["with_user_count"], "true", StringComparison.OrdinalIgnoreCase))
        {
            copy["user_count"] = InterestedCount(ulong.Parse(e["id"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        }

        return copy;
    }

    private int InterestedCount(ulong eventId)
    {
        if (!_interested.TryGetValue(eventId, out var set))
        {
            return 0;
        }

        lock (set)
        {
            return set.Count;
        }
    }

    private (int, JsonNode?) GetEvent(Match m, JsonNode? body) =>
        _events.TryGetValue(ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), out var e) && e["guild_id"]!.GetValue<string>() == m.Groups[1].Value
            ? (200, EventView(e))
            : (404, new JsonObject { ["message"] = "Unknown Guild Scheduled Event", ["code"] = 10070 });

    private (int, JsonNode?) ListEvents(Match m, JsonNode? body) =>
        (200, new JsonArray(_events.Values.Where(e => e["guild_id"]!.GetValue<string>() == m.Groups[1].Value)
            .OrderBy(e => e["scheduled_start_time"]!.GetValue<string>(), StringComparer.Ordinal).Select(e => (JsonNode)EventView(e)).ToArray()));

    private (int, JsonNode?) DeleteEvent(Match m, JsonNode? body)
    {
        var id = ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        if (!_events.TryRemove(id, out _))
        {
            return (404, new JsonObject { ["message"] = "Unknown Guild Scheduled Event", ["code"] = 10070 });
        }

        DeletedEventIds.Enqueue(id);
        return (204, null);
    }

    private (int, JsonNode?) EventUsers(Match m, JsonNode? body)
    {
        var id = ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        if (!_events.ContainsKey(id))
        {
            return (404, new JsonObject { ["message"] = "Unknown Guild Scheduled Event", ["code"] = 10070 });
        }

        var limit = int.TryParse(_currentQuery.Value?["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : 100;
        if (limit is < 1 or > 100)
        {
            return (400, FormError("limit", "NUMBER_TYPE_MAX", "int value should be less than or equal to 100."));
        }

        var users = new JsonArray();
        if (_interested.TryGetValue(id, out var set))
        {
            lock (set)
            {
                foreach (var u in set.Order().Take(limit))
                {
                    users.Add(new JsonObject { ["guild_scheduled_event_id"] = Id(id), ["user_id"] = Id(u), ["user"] = new FakeUser(u, "user" + Id(u)[^4..]).ToJson() });
                }
            }
        }

        return (200, users);
    }

    [GeneratedRegex(@"^/channels/(\d+)/threads$")] private static partial Regex ForumThreadsRx();
    [GeneratedRegex(@"^/channels/(\d+)/polls/(\d+)/answers/(\d+)$")] private static partial Regex PollAnswerRx();
    [GeneratedRegex(@"^/guilds/(\d+)/scheduled-events$")] private static partial Regex EventsRx();
    [GeneratedRegex(@"^/guilds/(\d+)/scheduled-events/(\d+)$")] private static partial Regex EventRx();
    [GeneratedRegex(@"^/guilds/(\d+)/scheduled-events/(\d+)/users$")] private static partial Regex EventUsersRx();
}
