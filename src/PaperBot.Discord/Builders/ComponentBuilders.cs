using PaperBot.Discord.Models;

namespace PaperBot.Discord.Builders;

/// <summary>One action row: up to 5 buttons, or exactly one select menu.</summary>
public sealed class ActionRowBuilder
{
    private readonly List<Component> _components = [];

    public IReadOnlyList<Component> Components => _components;

    public ActionRowBuilder AddButton(string customId, string label, ButtonStyle style = ButtonStyle.Secondary, bool disabled = false, string? emoji = null)
    {
        if (style == ButtonStyle.Link)
        {
            throw new DiscordLimitException("Use AddLinkButton for link buttons (they have a url, not a custom_id).");
        }

        ComponentChecks.CustomId(customId);
        EmbedBuilder.Check(label, DiscordLimits.ButtonLabel, "button label");
        _components.Add(new Component
        {
            Type = ComponentType.Button,
            Style = (int)style,
            CustomId = customId,
            Label = label,
            Disabled = disabled ? true : null,
            Emoji = emoji is null ? null : new PartialEmoji { Name = emoji },
        });
        return this;
    }

    public ActionRowBuilder AddLinkButton(string url, string label)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttps && u.Scheme != Uri.UriSchemeHttp && u.Scheme != "discord"))
        {
            throw new DiscordLimitException($"A link button needs an absolute http(s) url, got '{url}'.");
        }

        EmbedBuilder.Check(label, DiscordLimits.ButtonLabel, "button label");
        EmbedBuilder.Check(url, 512, "link button url");
        _components.Add(new Component { Type = ComponentType.Button, Style = (int)ButtonStyle.Link, Url = url, Label = label });
        return this;
    }

    public ActionRowBuilder AddStringSelect(string customId, IEnumerable<SelectOption> options, string? placeholder = null, int minValues = 1, int maxValues = 1)
    {
        ComponentChecks.CustomId(customId);
        EmbedBuilder.Check(placeholder, DiscordLimits.SelectPlaceholder, "select placeholder");
        var list = options.ToList();
        if (list.Count is 0 or > DiscordLimits.SelectOptions)
        {
            throw new DiscordLimitException($"A select menu needs 1 to {DiscordLimits.SelectOptions} options, got {list.Count}.");
        }

        foreach (var o in list)
        {
            EmbedBuilder.Check(o.Label, DiscordLimits.SelectOptionLabel, "select option label");
            EmbedBuilder.Check(o.Value, DiscordLimits.SelectOptionValue, "select option value");
            EmbedBuilder.Check(o.Description, DiscordLimits.SelectOptionDescription, "select option description");
            if (o.Label.Length == 0 || o.Value.Length == 0)
            {
                throw new DiscordLimitException("Select options need a non-empty label and value.");
            }
        }

        if (list.Select(o => o.Value).Distinct(StringComparer.Ordinal).Count() != list.Count)
        {
            throw new DiscordLimitException("Select option values must be unique.");
        }

        if (minValues < 0 || minValues > 25 || maxValues < 1 || maxValues > list.Count || minValues > maxValues)
        {
            throw new DiscordLimitException($"Select min_values/max_values must satisfy 0 <= min <= max <= options ({list.Count}), got {minValues}/{maxValues}.");
        }

        _components.Add(new Component
        {
            Type = ComponentType.StringSelect,
            CustomId = customId,
            Options = list,
            Placeholder = placeholder,
            MinValues = minValues,
            MaxValues = maxValues,
        });
        return this;
    }

    internal Component Build(int rowIndex)
    {
        if (_components.Count == 0)
        {
            throw new DiscordLimitException($"Action row {rowIndex} is empty.");
        }

        if (_components.Count > DiscordLimits.ComponentsPerActionRow)
        {
            throw new DiscordLimitException($"Action row {rowIndex} has {_components.Count} components; the limit is {DiscordLimits.ComponentsPerActionRow}.");
        }

        if (_components.Count > 1 && _components.Any(c => c.Type != ComponentType.Button))
        {
            throw new DiscordLimitException($"Action row {rowIndex}: a select menu must be alone in its row.");
        }

        return new Component { Type = ComponentType.ActionRow, Components = [.. _components] };
    }
}

internal static class ComponentChecks
{
    public static void CustomId(string customId)
    {
        if (string.IsNullOrEmpty(customId))
        {
            throw new DiscordLimitException("custom_id must not be empty.");
        }

        if (customId.Length > DiscordLimits.CustomId)
        {
            throw new DiscordLimitException($"custom_id may be at most {DiscordLimits.CustomId} characters, got {customId.Length}: '{customId[..20]}...'.");
        }
    }

    public static List<Component> Rows(IReadOnlyList<ActionRowBuilder> rows)
    {
        if (rows.Count > DiscordLimits.ActionRowsPerMessage)
        {
            throw new DiscordLimitException($"A message may have at most {DiscordLimits.ActionRowsPerMessage} action rows, got {rows.Count}.");
        }

        var built = rows.Select((r, i) => r.Build(i)).ToList();
        var ids = built.SelectMany(r => r.Components!).Where(c => c.CustomId is not null).Select(c => c.CustomId!).ToList();
        var dup = ids.GroupBy(x => x, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null)
        {
            throw new DiscordLimitException($"custom_id '{dup.Key}' is used twice in one message.");
        }

        return built;
    }
}

/// <summary>A modal (interaction callback type 9) with up to 5 text inputs.</summary>
public sealed class ModalBuilder(string customId, string title)
{
    private readonly List<Component> _inputs = [];

    public ModalBuilder AddTextInput(string customId, string label, bool paragraph = false, bool required = true, string? value = null, string? placeholder = null, int? minLength = null, int? maxLength = null)
    {
        ComponentChecks.CustomId(customId);
        EmbedBuilder.Check(label, DiscordLimits.TextInputLabel, "text input label");
        EmbedBuilder.Check(value, DiscordLimits.TextInputValue, "text input value");
        EmbedBuilder.Check(placeholder, 100, "text input placeholder");
        _inputs.Add(new Component
        {
            Type = ComponentType.TextInput,
            CustomId = customId,
            Label = label,
            Style = paragraph ? 2 : 1,
            Required = required,
            Value = value,
            Placeholder = placeholder,
            MinLength = minLength,
            MaxLength = maxLength,
        });
        return this;
    }

    /// <summary>A text input inside a Label (component type 18, Discord's current modal layout): the label and an optional
    /// description sit above the input.</summary>
    public ModalBuilder AddLabeledTextInput(string customId, string label, string? description = null, bool paragraph = false, bool required = true, string? value = null, string? placeholder = null, int? minLength = null, int? maxLength = null)
    {
        ComponentChecks.CustomId(customId);
        EmbedBuilder.Check(label, DiscordLimits.TextInputLabel, "label");
        EmbedBuilder.Check(description, 100, "label description");
        EmbedBuilder.Check(value, DiscordLimits.TextInputValue, "text input value");
        EmbedBuilder.Check(placeholder, 100, "text input placeholder");
        _inputs.Add(new Component
        {
            Type = ComponentType.Label,
            Label = label,
            Description = description,
            Child = new Component
            {
                Type = ComponentType.TextInput,
                CustomId = customId,
                Style = paragraph ? 2 : 1,
                Required = required,
                Value = value,
                Placeholder = placeholder,
                MinLength = minLength,
                MaxLength = maxLength,
            },
        });
        return this;
    }

    public ModalPayload Build()
    {
        ComponentChecks.CustomId(customId);
        if (string.IsNullOrWhiteSpace(title))
        {
            throw new DiscordLimitException("A modal needs a title.");
        }

        EmbedBuilder.Check(title, DiscordLimits.ModalTitle, "modal title");
        if (_inputs.Count is 0 or > DiscordLimits.ActionRowsPerMessage)
        {
            throw new DiscordLimitException($"A modal needs 1 to 5 text inputs, got {_inputs.Count}.");
        }

        return new ModalPayload(customId, title, _inputs.Select(i => i.Type == ComponentType.Label ? i : new Component { Type = ComponentType.ActionRow, Components = [i] }).ToList());
    }
}
