using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;

namespace PaperBot.Testing.FakeDiscord;

/// <summary>A Discord user for injected messages and interactions.</summary>
public sealed record FakeUser(ulong Id, string Username, string? GlobalName = null)
{
    public static FakeUser Default { get; } = new(700000000000000001, "alice", "Alice");

    public JsonObject ToJson() => new()
    {
        ["id"] = Id.ToString(CultureInfo.InvariantCulture),
        ["username"] = Username,
        ["discriminator"] = "0",
        ["global_name"] = GlobalName,
        ["avatar"] = null,
        ["public_flags"] = 0,
        ["flags"] = 0,
        ["clan"] = null,
    };
}

/// <summary>Permission strings as Discord sends them in member.permissions.</summary>
public static class FakePermissions
{
    /// <summary>View, send, embed links, read history, add reactions, use application commands, create public threads, send in threads.</summary>
    public static readonly string Member = ((1UL << 10) | (1UL << 11) | (1UL << 14) | (1UL << 16) | (1UL << 6) | (1UL << 31) | (1UL << 35) | (1UL << 38)).ToString(CultureInfo.InvariantCulture);

    /// <summary>Member plus Manage Guild and Manage Messages.</summary>
    public static readonly string Moderator = (ulong.Parse(Member, CultureInfo.InvariantCulture) | (1UL << 5) | (1UL << 13)).ToString(CultureInfo.InvariantCulture);

    /// <summary>What PaperBot's invite URL asks for (README: 17910013742144): the bot's permissions in a server it was invited to.</summary>
    public static readonly string Invite = "17910013742144";

    /// <summary>Every bit Discord currently defines, as for an administrator.</summary>
    public static readonly string Administrator = ((1UL << 51) - 1).ToString(CultureInfo.InvariantCulture);
}

/// <summary>An option value of an injected command: type 3 string, 4 integer, 5 boolean, 10 number, 1 sub-command.</summary>
public sealed record FakeOption(string Name, int Type, JsonNode? Value = null, IReadOnlyList<FakeOption>? Options = null, bool Focused = false)
{
    public static FakeOption String(string name, string value, bool focused = false) => new(name, 3, JsonValue.Create(value), null, focused);

    public static FakeOption Integer(string name, long value) => new(name, 4, JsonValue.Create(value));

    public static FakeOption Boolean(string name, bool value) => new(name, 5, JsonValue.Create(value));

    public static FakeOption Number(string name, double value) => new(name, 10, JsonValue.Create(value));

    public static FakeOption SubCommand(string name, params FakeOption[] options) => new(name, 1, null, options);

    /// <summary>A channel option (type 7): the value is the id; the interaction's resolved.channels holds the channel with the
    /// type declared through FakeRest.SetChannelType.</summary>
    public static FakeOption Channel(string name, ulong channelId) => new(name, 7, JsonValue.Create(channelId.ToString(CultureInfo.InvariantCulture)));

    internal IEnumerable<FakeOption> Leaves() => Options is null ? [this] : Options.SelectMany(o => o.Leaves());

    public JsonObject ToJson()
    {
        var o = new JsonObject { ["name"] = Name, ["type"] = Type };
        if (Value is not null)
        {
            o["value"] = Value.DeepClone();
        }

        if (Options is not null)
        {
            o["options"] = new JsonArray(Options.Select(x => (JsonNode)x.ToJson()).ToArray());
        }

        if (Focused)
        {
            o["focused"] = true;
        }

        return o;
    }
}

/// <summary>The initial interaction callback the bot sent (POST /interactions/{id}/{token}/callback).</summary>
public sealed record FakeInteractionCallback(int Type, JsonNode? Data, DateTimeOffset At, long ArrivedTimestamp);

/// <summary>An interaction injected as a user would trigger it. Await <see cref="Callback"/> for the bot's answer.</summary>
public sealed class FakeInteraction
{
    private readonly TaskCompletionSource<FakeInteractionCallback> _callback = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal FakeInteraction(ulong id, string token, int type, JsonObject payload, DateTimeOffset createdAt)
    {
        Id = id;
        Token = token;
        Type = type;
        Payload = payload;
        CreatedAt = createdAt;
    }

    /// <summary>When the interaction was created (fake Discord's clock): the 3 s callback window and the 15 min token run from here.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Callbacks rejected after the first (40060), too late (10062) or of the wrong type.</summary>
    public ConcurrentQueue<(int Type, int Code)> RejectedCallbacks { get; } = new();

    public ulong Id { get; }

    public string Token { get; }

    /// <summary>2 command, 3 component, 4 autocomplete, 5 modal submit.</summary>
    public int Type { get; }

    /// <summary>The INTERACTION_CREATE d payload that was dispatched.</summary>
    public JsonObject Payload { get; }

    /// <summary>Stopwatch timestamp when the INTERACTION_CREATE frame was handed to the socket.</summary>
    public long DispatchedTimestamp { get; internal set; }

    public Task<FakeInteractionCallback> Callback => _callback.Task;

    /// <summary>The message shown for this interaction (after callback 4 or 5 + PATCH @original), as Discord would render it.</summary>
    public JsonObject? OriginalMessage { get; internal set; }

    /// <summary>Follow-up messages (POST /webhooks/{app}/{token}).</summary>
    public ConcurrentQueue<JsonObject> Followups { get; } = new();

    /// <summary>The HTTP status of the Interactions Endpoint's answer, when delivered over HTTP.</summary>
    public int? HttpStatus { get; internal set; }

    internal bool TrySetCallback(FakeInteractionCallback cb) => _callback.TrySetResult(cb);

    public async Task<FakeInteractionCallback> WaitForCallbackAsync(TimeSpan? timeout = null)
        => await Callback.WaitAsync(timeout ?? TimeSpan.FromSeconds(20)).ConfigureAwait(false);
}

/// <summary>Injects interactions (INTERACTION_CREATE with realistic payloads) and tracks the bot's answers.</summary>
public sealed class FakeInteractions
{
    private readonly FakeDiscordServer _server;
    private readonly ConcurrentDictionary<ulong, FakeInteraction> _byId = new();
    private readonly ConcurrentDictionary<string, FakeInteraction> _byToken = new();

    private long _injected;

    internal FakeInteractions(FakeDiscordServer server) => _server = server;

    public ulong DefaultChannelId { get; set; } = 810000000000000001;

    /// <summary>When set, interactions are delivered as Discord's Interactions Endpoint URL does: a signed POST to this URL,
    /// whose HTTP response is the first callback (checked against the spec and the 3 s window like POST /callback).</summary>
    public Uri? HttpEndpoint { get; set; }

    /// <summary>The application's key pair for signing HTTP deliveries (its public key goes into Discord:PublicKey).</summary>
    public DiscordRequestSigner Signer { get; } = new();

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The bot's permissions in the channel, sent as app_permissions: by default what the README's invite grants
    /// (FakePermissions.Invite).</summary>
    public string AppPermissions { get; set; } = FakePermissions.Invite;

    public FakeInteraction? Find(ulong id) => _byId.TryGetValue(id, out var i) ? i : null;

    public FakeInteraction? FindByToken(string token) => _byToken.TryGetValue(token, out var i) ? i : null;

    /// <summary>A user runs /<paramref name="name"/> with options (use FakeOption.SubCommand for sub-commands).</summary>
    public Task<FakeInteraction> SlashCommandAsync(string name, IEnumerable<FakeOption>? options = null, FakeUser? user = null, ulong? channelId = null, ulong? guildId = null, string? permissions = null)
    {
        var data = new JsonObject
        {
            ["id"] = _server.Snowflakes.Next().ToString(CultureInfo.InvariantCulture),
            ["name"] = name,
            ["type"] = 1,
        };
        if (options is not null)
        {
            var list = options.ToList();
            data["options"] = new JsonArray(list.Select(o => (JsonNode)o.ToJson()).ToArray());
            var channels = new JsonObject();
            foreach (var c in list.SelectMany(o => o.Leaves()).Where(o => o.Type == 7))
            {
                var cid = c.Value!.GetValue<string>();
                channels[cid] = new JsonObject
                {
                    ["id"] = cid,
                    ["type"] = _server.Rest.ChannelType(ulong.Parse(cid, CultureInfo.InvariantCulture)),
                    ["name"] = "channel-" + cid[^4..],
                    ["permissions"] = AppPermissions,
                    ["guild_id"] = (guildId ?? _server.Options.Guilds.FirstOrDefault()).ToString(CultureInfo.InvariantCulture),
                };
            }

            if (channels.Count > 0)
            {
                data["resolved"] = new JsonObject { ["channels"] = channels };
            }
        }

        return InjectAsync(2, data, user, channelId, guildId, permissions, null);
    }

    /// <summary>A user types in an autocomplete option: the focused option carries the partial text.</summary>
    public Task<FakeInteraction> AutocompleteAsync(string commandName, string focusedOption, string partialValue, IEnumerable<FakeOption>? otherOptions = null, FakeUser? user = null, ulong? channelId = null)
    {
        var opts = (otherOptions ?? []).Select(o => (JsonNode)o.ToJson()).ToList();
        opts.Add(FakeOption.String(focusedOption, partialValue, focused: true).ToJson());
        var data = new JsonObject
        {
            ["id"] = _server.Snowflakes.Next().ToString(CultureInfo.InvariantCulture),
            ["name"] = commandName,
            ["type"] = 1,
            ["options"] = new JsonArray(opts.ToArray()),
        };
        return InjectAsync(4, data, user, channelId, null, null, null);
    }

    /// <summary>A user clicks a button on a message the bot sent.</summary>
    public Task<FakeInteraction> ClickButtonAsync(string customId, ulong? messageId = null, FakeUser? user = null, ulong? channelId = null)
        => InjectAsync(3, new JsonObject { ["custom_id"] = customId, ["component_type"] = 2 }, user, channelId, null, null, MessageFor(messageId, channelId));

    /// <summary>A user picks values in a string select menu.</summary>
    public Task<FakeInteraction> SelectAsync(string customId, IEnumerable<string> values, ulong? messageId = null, FakeUser? user = null, ulong? channelId = null)
        => InjectAsync(3, new JsonObject
        {
            ["custom_id"] = customId,
            ["component_type"] = 3,
            ["values"] = new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
        }, user, channelId, null, null, MessageFor(messageId, channelId));

    /// <summary>A user submits a modal with text input values (custom_id → value).</summary>
    public Task<FakeInteraction> SubmitModalAsync(string customId, IReadOnlyDictionary<string, string> fields, FakeUser? user = null, ulong? channelId = null)
        => InjectAsync(5, new JsonObject
        {
            ["custom_id"] = customId,
            ["components"] = new JsonArray(fields.Select(f => (JsonNode)new JsonObject
            {
                ["type"] = 1,
                ["components"] = new JsonArray(new JsonObject { ["type"] = 4, ["custom_id"] = f.Key, ["value"] = f.Value }),
            }).ToArray()),
        }, user, channelId, null, null, null);

    private JsonObject? MessageFor(ulong? messageId, ulong? channelId)
    {
        if (messageId is { } id && _server.Rest.FindMessage(id) is { } stored)
        {
            return stored.DeepClone().AsObject();
        }

        var cid = (channelId ?? DefaultChannelId).ToString(CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["id"] = (messageId ?? _server.Snowflakes.Next()).ToString(CultureInfo.InvariantCulture),
            ["channel_id"] = cid,
            ["author"] = new JsonObject { ["id"] = _server.Options.BotUserId.ToString(CultureInfo.InvariantCulture), ["username"] = _server.Options.BotUsername, ["bot"] = true, ["discriminator"] = "0" },
            ["content"] = "",
            ["type"] = 0,
            ["flags"] = 0,
            ["embeds"] = new JsonArray(),
            ["components"] = new JsonArray(),
            ["timestamp"] = _server.Options.TimeProvider.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff+00:00", CultureInfo.InvariantCulture),
        };
    }

    private async Task<FakeInteraction> InjectAsync(int type, JsonObject data, FakeUser? user, ulong? channelId, ulong? guildId, string? permissions, JsonObject? message)
    {
        var o = _server.Options;
        var id = _server.Snowflakes.Next();
        var token = "aW50ZXJhY3Rpb246" + id.ToString(CultureInfo.InvariantCulture) + ":" + Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();
        var gid = guildId ?? o.Guilds.FirstOrDefault();
        var cid = channelId ?? DefaultChannelId;
        var u = user ?? FakeUser.Default;
        var payload = new JsonObject
        {
            ["id"] = id.ToString(CultureInfo.InvariantCulture),
            ["application_id"] = o.ApplicationId.ToString(CultureInfo.InvariantCulture),
            ["type"] = type,
            ["data"] = data,
            ["channel_id"] = cid.ToString(CultureInfo.InvariantCulture),
            ["channel"] = new JsonObject
            {
                ["id"] = cid.ToString(CultureInfo.InvariantCulture),
                ["type"] = 0,
                ["name"] = "papers",
                ["guild_id"] = gid == 0 ? null : gid.ToString(CultureInfo.InvariantCulture),
                ["permissions"] = permissions ?? FakePermissions.Member,
                ["nsfw"] = false,
                ["flags"] = 0,
            },
            ["token"] = token,
            ["version"] = 1,
            ["app_permissions"] = AppPermissions,
            ["locale"] = "en-US",
            ["entitlements"] = new JsonArray(),
            ["attachment_size_limit"] = 10485760,
            ["context"] = gid == 0 ? 1 : 0,
        };
        if (gid != 0)
        {
            payload["guild_id"] = gid.ToString(CultureInfo.InvariantCulture);
            payload["guild_locale"] = "en-US";
            payload["guild"] = new JsonObject { ["id"] = gid.ToString(CultureInfo.InvariantCulture), ["locale"] = "en-US", ["features"] = new JsonArray() };
            payload["member"] = new JsonObject
            {
                ["user"] = u.ToJson(),
                ["roles"] = new JsonArray(),
                ["premium_since"] = null,
                ["permissions"] = permissions ?? FakePermissions.Member,
                ["pending"] = false,
                ["nick"] = null,
                ["mute"] = false,
                ["joined_at"] = "2024-01-01T00:00:00.000000+00:00",
                ["flags"] = 0,
                ["deaf"] = false,
                ["avatar"] = null,
            };
            payload["authorizing_integration_owners"] = new JsonObject { ["0"] = gid.ToString(CultureInfo.InvariantCulture) };
        }
        else
        {
            payload["user"] = u.ToJson();
            payload["authorizing_integration_owners"] = new JsonObject { ["1"] = u.Id.ToString(CultureInfo.InvariantCulture) };
        }

        if (message is not null)
        {
            payload["message"] = message;
        }

        var interaction = new FakeInteraction(id, token, type, payload, o.TimeProvider.GetUtcNow());
        if (!o.RecordHistory && Interlocked.Increment(ref _injected) % 100 == 0)
        {
            // forget interactions whose token has expired, so a soak does not grow the fake
            foreach (var old in _byId.Values.Where(x => o.TimeProvider.GetUtcNow() - x.CreatedAt > o.InteractionTokenLifetime + TimeSpan.FromMinutes(1)).ToList())
            {
                _byId.TryRemove(old.Id, out _);
                _byToken.TryRemove(old.Token, out _);
            }
        }

        _byId[id] = interaction;
        _byToken[token] = interaction;
        interaction.DispatchedTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        if (HttpEndpoint is { } endpoint)
        {
            await DeliverOverHttpAsync(endpoint, interaction).ConfigureAwait(false);
        }
        else
        {
            await _server.Gateway.DispatchAsync("INTERACTION_CREATE", payload).ConfigureAwait(false);
        }

        return interaction;
    }

    private async Task DeliverOverHttpAsync(Uri endpoint, FakeInteraction interaction)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(interaction.Payload.ToJsonString());
        using var request = Signer.SignedRequest(endpoint, body, _server.Options.TimeProvider.GetUtcNow());
        using var response = await Http.SendAsync(request).ConfigureAwait(false);
        interaction.HttpStatus = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode)
        {
            _server.Rest.Violation($"Interactions Endpoint answered {(int)response.StatusCode} to a correctly signed interaction");
            return;
        }

        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        var json = JsonNode.Parse(text);
        var path = $"/interactions/{interaction.Id.ToString(CultureInfo.InvariantCulture)}/{interaction.Token}/callback";
        if (DiscordSpec.Instance.Validate("POST", path, json, "application/json") is { Count: > 0 } errors)
        {
            _server.Rest.Violation("Interactions Endpoint response: " + string.Join("; ", errors));
            return;
        }

        var (status, answer) = _server.Rest.AcceptCallback(interaction, json, withResponse: false);
        if (status >= 400)
        {
            _server.Rest.Violation($"Interactions Endpoint response refused ({status}): {answer?.ToJsonString()}");
        }
    }

    internal static JsonObject GuildJson(ulong guildId, FakeDiscordOptions o) => new()
    {
        ["id"] = guildId.ToString(CultureInfo.InvariantCulture),
        ["name"] = "Paper Club",
        ["owner_id"] = FakeUser.Default.Id.ToString(CultureInfo.InvariantCulture),
        ["unavailable"] = false,
        ["member_count"] = 3,
        ["large"] = false,
        ["joined_at"] = "2024-01-01T00:00:00.000000+00:00",
        ["features"] = new JsonArray(),
        ["roles"] = new JsonArray(),
        ["channels"] = new JsonArray(new JsonObject
        {
            ["id"] = "810000000000000001",
            ["type"] = 0,
            ["name"] = "papers",
            ["guild_id"] = guildId.ToString(CultureInfo.InvariantCulture),
            ["position"] = 0,
            ["parent_id"] = null,
        }),
        ["threads"] = new JsonArray(),
        ["members"] = new JsonArray(),
        ["voice_states"] = new JsonArray(),
        ["presences"] = new JsonArray(),
    };
}
