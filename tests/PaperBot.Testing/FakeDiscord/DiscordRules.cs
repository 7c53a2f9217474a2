using System.Text.Json.Nodes;

namespace PaperBot.Testing.FakeDiscord;

/// <summary>
/// Rules Discord enforces that its OpenAPI schema cannot express (checked after the schema): an empty message (50006),
/// components outside action rows, too many components in a row, <c>allowed_mentions.parse</c> together with an explicit
/// users/roles list, and thread auto-archive durations. Each answer is Discord's error body.
/// </summary>
public static class DiscordRules
{
    private static readonly HashSet<int> TopLevelComponents = [1, 9, 10, 12, 13, 14, 17];

    /// <summary>The Discord error for <paramref name="body"/> sent to the fake route <paramref name="route"/>, or null when Discord accepts it.</summary>
    public static JsonObject? Check(string route, JsonNode? body)
    {
        if (route is "messages.create" or "webhooks.execute")
        {
            return Message(body as JsonObject, creating: true);
        }

        if (route is "messages.edit" or "webhooks.original.edit" or "webhooks.message.edit")
        {
            return Message(body as JsonObject, creating: false);
        }

        if (route == "threads.forum")
        {
            return Message(body?["message"] as JsonObject, creating: true, prefix: "message");
        }

        var callbackType = route == "interactions.callback" ? body?["type"]?.GetValue<int>() : null;
        if (callbackType is 4 or 7 && body!["data"] is JsonObject data)
        {
            return Message(data, creating: callbackType == 4, prefix: "data");
        }

        if (route == "threads.create" && body?["auto_archive_duration"] is JsonValue v && v.GetValue<int>() is not (60 or 1440 or 4320 or 10080))
        {
            return Error("auto_archive_duration", "BASE_TYPE_CHOICES", "Value must be one of {60, 1440, 4320, 10080}.");
        }

        return null;
    }

    private static JsonObject? Message(JsonObject? o, bool creating, string? prefix = null)
    {
        if (o is null)
        {
            return null;
        }

        string P(string field) => prefix is null ? field : prefix + "." + field;
        var components = o["components"] as JsonArray;
        if (creating
            && string.IsNullOrEmpty(o["content"]?.GetValue<string>())
            && o["embeds"] is not JsonArray { Count: > 0 }
            && components is not { Count: > 0 }
            && o["sticker_ids"] is not JsonArray { Count: > 0 }
            && o["attachments"] is not JsonArray { Count: > 0 }
            && o["poll"] is null)
        {
            return new JsonObject { ["message"] = "Cannot send an empty message", ["code"] = 50006 };
        }

        for (var i = 0; components is not null && i < components.Count; i++)
        {
            var type = components[i]?["type"]?.GetValue<int>() ?? 0;
            if (!TopLevelComponents.Contains(type))
            {
                return Error(P($"components.{i}"), "COMPONENT_LAYOUT_WIDTH_EXCEEDED", $"Component of type {type} must be inside an action row.");
            }

            if (type == 1 && components[i]!["components"] is JsonArray row && row.Count > 5)
            {
                return Error(P($"components.{i}.components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.");
            }
        }

        if (o["allowed_mentions"] is JsonObject am && am["parse"] is JsonArray parse)
        {
            foreach (var kind in new[] { "users", "roles" })
            {
                if (parse.Any(p => p?.GetValue<string>() == kind) && am[kind] is JsonArray { Count: > 0 })
                {
                    return Error(P("allowed_mentions"), "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", $"parse:[\"{kind}\"] and {kind}: [ids] are mutually exclusive.");
                }
            }
        }

        return null;
    }

    private static JsonObject Error(string path, string code, string message)
    {
        var tree = new JsonObject();
        var node = tree;
        foreach (var part in path.Split('.'))
        {
            var next = new JsonObject();
            node[part] = next;
            node = next;
        }

        node["_errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message });
        return new JsonObject { ["message"] = "Invalid Form Body", ["code"] = 50035, ["errors"] = tree };
    }
}
