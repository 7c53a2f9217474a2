using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using PaperBot.Discord.Models;

namespace PaperBot.Discord.Commands;

/// <summary>
/// Checks application command definitions against Discord's rules before a bulk overwrite, because Discord rejects the
/// whole PUT (50035) when one field of one command is wrong. Hand-written: these are rules of Discord's validator that
/// no schema expresses (choice value types per option type, required-before-optional, nesting, the 4000-character total).
/// </summary>
public static partial class ApplicationCommandValidator
{
    /// <summary>Name, description and choice names/values of one command together (Discord's "combined" limit).</summary>
    public const int CommandTotalCharacters = 4000;

    /// <summary>Discord allows 100 chat-input and 15 each of user and message commands per scope.</summary>
    public const int ChatInputCommands = 100;
    public const int ContextMenuCommands = 15;

    public const long MaxSafeInteger = 9007199254740991; // 2^53 - 1: Discord's bound for integer options and choices

    /// <summary>All problems found, as "path: message" (path like "paper.options[1].choices[0].value"); empty when valid.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<ApplicationCommand> commands)
    {
        var errors = new List<string>();
        foreach (var type in new[] { 1, 2, 3 })
        {
            var count = commands.Count(c => c.Type == type);
            var max = type == 1 ? ChatInputCommands : ContextMenuCommands;
            if (count > max)
            {
                errors.Add($"commands: {count} commands of type {type}; Discord allows {max}.");
            }
        }

        foreach (var dup in commands.GroupBy(c => (c.Type, c.Name)).Where(g => g.Count() > 1))
        {
            errors.Add($"{dup.Key.Name}: the command is defined twice.");
        }

        foreach (var c in commands)
        {
            ValidateCommand(c, errors);
        }

        return errors;
    }

    /// <summary>Throws <see cref="DiscordLimitException"/> listing every problem.</summary>
    public static void ThrowIfInvalid(IReadOnlyList<ApplicationCommand> commands)
    {
        var errors = Validate(commands);
        if (errors.Count > 0)
        {
            throw new DiscordLimitException("Invalid application command definitions (Discord would reject the whole overwrite with 50035): " + string.Join(" ", errors));
        }
    }

    private static void ValidateCommand(ApplicationCommand c, List<string> errors)
    {
        var path = string.IsNullOrEmpty(c.Name) ? "(unnamed)" : c.Name;
        if (c.Type is not (1 or 2 or 3))
        {
            errors.Add($"{path}.type: must be 1 (chat input), 2 (user) or 3 (message), got {c.Type}.");
            return;
        }

        if (c.Type == 1)
        {
            CheckName(c.Name, path + ".name", errors);
            if (c.Description.Length is 0 or > DiscordLimits.CommandDescription)
            {
                errors.Add($"{path}.description: needs 1-{DiscordLimits.CommandDescription} characters, got {c.Description.Length}.");
            }
        }
        else
        {
            if (c.Name.Length is 0 or > DiscordLimits.CommandName)
            {
                errors.Add($"{path}.name: needs 1-{DiscordLimits.CommandName} characters, got {c.Name.Length}.");
            }

            if (c.Description.Length != 0)
            {
                errors.Add($"{path}.description: user and message commands must have an empty description.");
            }

            if (c.Options is { Count: > 0 })
            {
                errors.Add($"{path}.options: user and message commands cannot have options.");
            }
        }

        if (c.DefaultMemberPermissions is { } perms && !DigitsRx().IsMatch(perms))
        {
            errors.Add($"{path}.default_member_permissions: must be a permission bit set written as decimal digits, got '{perms}'.");
        }

        if (c.Contexts is { } contexts && (contexts.Count == 0 || contexts.Any(x => x is < 0 or > 2) || contexts.Distinct().Count() != contexts.Count))
        {
            errors.Add($"{path}.contexts: must list distinct values from 0 (guild), 1 (bot DM), 2 (private channel).");
        }

        if (c.Type == 1)
        {
            ValidateOptions(c.Options, path, depth: 0, errors);
            var total = TotalCharacters(c);
            if (total > CommandTotalCharacters)
            {
                errors.Add($"{path}: name, description, options and choices add up to {total} characters; Discord allows {CommandTotalCharacters}.");
            }
        }
    }

    /// <param name="depth">0 = command level, 1 = inside a sub-command group or sub-command, 2 = inside a group's sub-command.</param>
    private static void ValidateOptions(List<ApplicationCommandOption>? options, string path, int depth, List<string> errors, bool parentIsGroup = false)
    {
        if (options is null || options.Count == 0)
        {
            if (parentIsGroup)
            {
                errors.Add($"{path}.options: a sub-command group needs at least one sub-command.");
            }

            return;
        }

        if (options.Count > DiscordLimits.CommandOptions)
        {
            errors.Add($"{path}.options: {options.Count} options; Discord allows {DiscordLimits.CommandOptions}.");
        }

        var subs = options.Count(o => o.Type is ApplicationCommandOptionType.SubCommand or ApplicationCommandOptionType.SubCommandGroup);
        if (subs > 0 && subs != options.Count)
        {
            errors.Add($"{path}.options: sub-commands and groups cannot be mixed with other options at the same level.");
        }

        if (parentIsGroup && options.Any(o => o.Type != ApplicationCommandOptionType.SubCommand))
        {
            errors.Add($"{path}.options: a sub-command group may contain only sub-commands.");
        }

        foreach (var dup in options.GroupBy(o => o.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"{path}.options: option name '{dup.Key}' is used twice.");
        }

        var seenOptional = false;
        for (var i = 0; i < options.Count; i++)
        {
            var o = options[i];
            var p = $"{path}.options[{i}]";
            CheckName(o.Name, p + ".name", errors);
            if (o.Description.Length is 0 or > DiscordLimits.CommandDescription)
            {
                errors.Add($"{p}.description: needs 1-{DiscordLimits.CommandDescription} characters, got {o.Description.Length}.");
            }

            switch (o.Type)
            {
                case ApplicationCommandOptionType.SubCommandGroup:
                    if (depth > 0)
                    {
                        errors.Add($"{p}: a sub-command group can only be at the top level of a command.");
                    }

                    ValidateOptions(o.Options, p, depth + 1, errors, parentIsGroup: true);
                    CheckNotSet(o, p, errors, required: true, choices: true, autocomplete: true, lengths: true, values: true, channels: true);
                    continue;
                case ApplicationCommandOptionType.SubCommand:
                    if (depth > 1 || (depth == 1 && !parentIsGroup))
                    {
                        errors.Add($"{p}: a sub-command can only be at the top level or inside a sub-command group.");
                    }

                    if (o.Options?.Any(x => x.Type is ApplicationCommandOptionType.SubCommand or ApplicationCommandOptionType.SubCommandGroup) == true)
                    {
                        errors.Add($"{p}.options: a sub-command cannot contain sub-commands or groups.");
                    }

                    ValidateOptions(o.Options, p, depth + 1, errors);
                    CheckNotSet(o, p, errors, required: true, choices: true, autocomplete: true, lengths: true, values: true, channels: true);
                    continue;
            }

            if (!Enum.IsDefined(o.Type))
            {
                errors.Add($"{p}.type: unknown option type {(int)o.Type}.");
                continue;
            }

            if (o.Required == true && seenOptional)
            {
                errors.Add($"{p}: required option '{o.Name}' comes after an optional one; required options must come first.");
            }

            if (o.Required != true)
            {
                seenOptional = true;
            }

            if (o.Options is { Count: > 0 })
            {
                errors.Add($"{p}.options: only sub-commands and groups have nested options.");
            }

            var isText = o.Type == ApplicationCommandOptionType.String;
            var isNumeric = o.Type is ApplicationCommandOptionType.Integer or ApplicationCommandOptionType.Number;
            CheckNotSet(o, p, errors, required: false, choices: !(isText || isNumeric), autocomplete: !(isText || isNumeric),
                lengths: !isText, values: !isNumeric, channels: o.Type != ApplicationCommandOptionType.Channel);

            if (o.Choices is { } choices)
            {
                if (o.Autocomplete == true)
                {
                    errors.Add($"{p}: autocomplete cannot be used together with choices.");
                }

                if (choices.Count > DiscordLimits.AutocompleteChoices)
                {
                    errors.Add($"{p}.choices: {choices.Count} choices; Discord allows {DiscordLimits.AutocompleteChoices}.");
                }

                for (var j = 0; j < choices.Count; j++)
                {
                    CheckChoice(o.Type, choices[j], $"{p}.choices[{j}]", errors);
                }

                foreach (var dup in choices.GroupBy(ch => ch.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
                {
                    errors.Add($"{p}.choices: choice name '{dup.Key}' is used twice.");
                }
            }

            if (isText)
            {
                if (o.MinLength is < 0 or > 6000)
                {
                    errors.Add($"{p}.min_length: must be 0-6000.");
                }

                if (o.MaxLength is < 1 or > 6000)
                {
                    errors.Add($"{p}.max_length: must be 1-6000.");
                }

                if (o.MinLength > o.MaxLength)
                {
                    errors.Add($"{p}: min_length is greater than max_length.");
                }
            }

            if (isNumeric)
            {
                var bound = o.Type == ApplicationCommandOptionType.Integer ? MaxSafeInteger : double.MaxValue;
                if (o.MinValue is { } min && (Math.Abs(min) > bound || (o.Type == ApplicationCommandOptionType.Integer && min != Math.Floor(min))))
                {
                    errors.Add($"{p}.min_value: must be {(o.Type == ApplicationCommandOptionType.Integer ? "a whole number within ±2^53" : "a number")}.");
                }

                if (o.MaxValue is { } max && (Math.Abs(max) > bound || (o.Type == ApplicationCommandOptionType.Integer && max != Math.Floor(max))))
                {
                    errors.Add($"{p}.max_value: must be {(o.Type == ApplicationCommandOptionType.Integer ? "a whole number within ±2^53" : "a number")}.");
                }

                if (o.MinValue > o.MaxValue)
                {
                    errors.Add($"{p}: min_value is greater than max_value.");
                }
            }
        }
    }

    private static void CheckNotSet(ApplicationCommandOption o, string p, List<string> errors, bool required, bool choices, bool autocomplete, bool lengths, bool values, bool channels)
    {
        var type = o.Type.ToString().ToLowerInvariant();
        if (required && o.Required is not null)
        {
            errors.Add($"{p}.required: not allowed on a {type} option.");
        }

        if (choices && o.Choices is not null)
        {
            errors.Add($"{p}.choices: only string, integer and number options have choices.");
        }

        if (autocomplete && o.Autocomplete == true)
        {
            errors.Add($"{p}.autocomplete: only string, integer and number options autocomplete.");
        }

        if (lengths && (o.MinLength is not null || o.MaxLength is not null))
        {
            errors.Add($"{p}: min_length/max_length are only for string options.");
        }

        if (values && (o.MinValue is not null || o.MaxValue is not null))
        {
            errors.Add($"{p}: min_value/max_value are only for integer and number options.");
        }

        if (channels && o.ChannelTypes is not null)
        {
            errors.Add($"{p}.channel_types: only channel options have channel types.");
        }
    }

    private static void CheckChoice(ApplicationCommandOptionType type, ApplicationCommandOptionChoice choice, string p, List<string> errors)
    {
        if (choice.Name.Length is 0 or > DiscordLimits.ChoiceName)
        {
            errors.Add($"{p}.name: needs 1-{DiscordLimits.ChoiceName} characters, got {choice.Name.Length}.");
        }

        var v = choice.Value;
        switch (type)
        {
            case ApplicationCommandOptionType.String:
                if (v.ValueKind != JsonValueKind.String)
                {
                    errors.Add($"{p}.value: a string option's choice needs a string value, got {Describe(v)}.");
                }
                else if (v.GetString()!.Length > DiscordLimits.ChoiceStringValue)
                {
                    errors.Add($"{p}.value: at most {DiscordLimits.ChoiceStringValue} characters.");
                }

                break;
            case ApplicationCommandOptionType.Integer:
                if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var i) || Math.Abs(i) > MaxSafeInteger)
                {
                    errors.Add($"{p}.value: an integer option's choice needs a whole number within ±2^53, got {Describe(v)}.");
                }

                break;
            case ApplicationCommandOptionType.Number:
                if (v.ValueKind != JsonValueKind.Number)
                {
                    errors.Add($"{p}.value: a number option's choice needs a number, got {Describe(v)}.");
                }

                break;
        }
    }

    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "the number " + v.GetRawText(),
        JsonValueKind.Undefined => "nothing",
        var k => k.ToString().ToLowerInvariant(),
    };

    private static void CheckName(string name, string path, List<string> errors)
    {
        if (!NameRx().IsMatch(name))
        {
            errors.Add($"{path}: '{name}' must be 1-32 characters: letters, digits, '-', '_' or an apostrophe, no spaces.");
        }
        else if (name != name.ToLower(CultureInfo.InvariantCulture))
        {
            errors.Add($"{path}: '{name}' must be lower case.");
        }
    }

    /// <summary>Discord counts the name, description and choice names and values of the command and all its options.</summary>
    public static int TotalCharacters(ApplicationCommand c)
    {
        static int Options(IEnumerable<ApplicationCommandOption>? options) => options?.Sum(o =>
            o.Name.Length + o.Description.Length
            + (o.Choices?.Sum(ch => ch.Name.Length + (ch.Value.ValueKind == JsonValueKind.String ? ch.Value.GetString()!.Length : ch.Value.GetRawText().Length)) ?? 0)
            + Options(o.Options)) ?? 0;

        return c.Name.Length + c.Description.Length + Options(c.Options);
    }

    // Discord's regex for CHAT_INPUT names: ^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$ (the scripts are within \p{L}/\p{M} here)
    [GeneratedRegex(@"^[-_'\p{L}\p{N}\p{Mn}\p{Mc}]{1,32}$")]
    private static partial Regex NameRx();

    [GeneratedRegex(@"^[0-9]{1,20}$")]
    private static partial Regex DigitsRx();
}
