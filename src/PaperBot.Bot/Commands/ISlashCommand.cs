using PaperBot.Discord.Models;

namespace PaperBot.Bot.Commands;

/// <summary>How the dispatcher answers an application command.</summary>
public enum ResponseMode
{
    /// <summary>Run, then answer with CHANNEL_MESSAGE_WITH_SOURCE (type 4). For fast, local work.</summary>
    Immediate,

    /// <summary>Answer DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE (type 5) at once, run, then edit @original. For anything that may call the LLM.</summary>
    Deferred,
}

/// <summary>One slash command: its definition for the bulk overwrite and its handler (one class per command).</summary>
public interface ISlashCommand
{
    ApplicationCommand Definition { get; }

    ResponseMode Mode { get; }

    /// <summary>True when the command is subject to the per-user cooldown and daily limit (it may call the LLM).</summary>
    bool Costly { get; }

    /// <summary>Runs the command; the first message answers the interaction, any further ones are follow-ups.</summary>
    Task<CommandReply> ExecuteAsync(CommandContext context, CancellationToken cancellationToken);
}

/// <summary>A command with autocompleted options.</summary>
public interface IAutocompleteCommand : ISlashCommand
{
    /// <summary>Up to 25 suggestions for the option the user is typing in.</summary>
    Task<IReadOnlyList<ApplicationCommandOptionChoice>> AutocompleteAsync(CommandContext context, InteractionDataOption focused, CancellationToken cancellationToken);
}
