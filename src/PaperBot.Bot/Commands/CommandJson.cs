using System.Text.Json.Nodes;

namespace PaperBot.Bot.Commands;

/// <summary>Builders for application-command JSON (the bulk-overwrite body): options, choices, autocomplete flags.</summary>
public static class CommandJson
{
    public const int SubCommand = 1;
    public const int String = 3;
    public const int Integer = 4;
    public const int Boolean = 5;
    public const int Channel = 7;

    /// <summary>Guild text and announcement channels.</summary>
    public static readonly int[] TextChannelTypes = [0, 5];

    public static JsonObject Command(string name, string description, params JsonObject[] options)
    {
        var o = new JsonObject
        {
            ["name"] = name,
            ["type"] = 1,
            ["description"] = description,
        };
        if (options.Length > 0)
        {
            o["options"] = new JsonArray(options.Select(x => (JsonNode)x).ToArray());
        }

        return o;
    }

    public static JsonObject Option(int type, string name, string description, bool required = false, bool autocomplete = false)
    {
        var o = new JsonObject
        {
            ["type"] = type,
            ["name"] = name,
            ["description"] = description,
        };
        if (required)
        {
            o["required"] = true;
        }

        if (autocomplete)
        {
            o["autocomplete"] = true;
        }

        return o;
    }

    public static JsonObject WithChoices(this JsonObject option, params (string Name, string Value)[] choices)
    {
        option["choices"] = new JsonArray(choices.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["value"] = c.Value }).ToArray());
        return option;
    }

    public static JsonObject WithRange(this JsonObject option, int min, int max)
    {
        option["min_value"] = min;
        option["max_value"] = max;
        return option;
    }

    public static JsonObject WithLength(this JsonObject option, int min, int max)
    {
        option["min_length"] = min;
        option["max_length"] = max;
        return option;
    }

    public static JsonObject WithChannelTypes(this JsonObject option, params int[] types)
    {
        option["channel_types"] = new JsonArray(types.Select(t => (JsonNode)t).ToArray());
        return option;
    }

    /// <summary>Default member permissions (Discord hides the command from members without them; the bot still checks).</summary>
    public static JsonObject WithDefaultPermissions(this JsonObject command, ulong permissions)
    {
        command["default_member_permissions"] = permissions.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return command;
    }

    /// <summary>Interaction contexts: 0 guild, 1 bot DM, 2 private channel.</summary>
    public static JsonObject WithContexts(this JsonObject command, params int[] contexts)
    {
        command["contexts"] = new JsonArray(contexts.Select(c => (JsonNode)c).ToArray());
        return command;
    }
}
