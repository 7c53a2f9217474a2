using PaperBot.Discord.Models;

namespace PaperBot.Bot.Commands;

/// <summary>Small builders for application-command definitions (options, choices, autocomplete flags).</summary>
public static class CommandOptions
{
    public static ApplicationCommand Command(string name, string description, params ApplicationCommandOption[] options) => new()
    {
        Type = 1,
        Name = name,
        Description = description,
        Options = options.Length == 0 ? null : [.. options],
    };

    public static ApplicationCommandOption String(string name, string description, bool required = false, bool autocomplete = false, int? maxLength = null) => new()
    {
        Type = ApplicationCommandOptionType.String,
        Name = name,
        Description = description,
        Required = required ? true : null,
        Autocomplete = autocomplete ? true : null,
        MinLength = maxLength is null ? null : 1,
        MaxLength = maxLength,
    };

    public static ApplicationCommandOption Integer(string name, string description, int min, int max, bool required = false) => new()
    {
        Type = ApplicationCommandOptionType.Integer,
        Name = name,
        Description = description,
        Required = required ? true : null,
        MinValue = min,
        MaxValue = max,
    };

    public static ApplicationCommandOption Choices(this ApplicationCommandOption option, params string[] values)
    {
        option.Choices = values.Select(v => ApplicationCommandOptionChoice.String(v, v)).ToList();
        return option;
    }

    /// <summary>The id option shared by /paper, /summarize and /related: autocompletes titles.</summary>
    public static ApplicationCommandOption PaperId(string description = "Paper id (arXiv id) — start typing a title") =>
        String("id", description, required: true, autocomplete: true, maxLength: 100);
}
