using PaperBot.Bot.Commands;

namespace PaperBot.Bot.Interactions;

/// <summary>How a button click is answered.</summary>
public enum ComponentResponse
{
    /// <summary>UPDATE_MESSAGE (type 7): replace the message the button is on.</summary>
    UpdateMessage,

    /// <summary>Deferred ephemeral reply (type 5, flags 64), then edit @original. For LLM work.</summary>
    DeferredEphemeral,
}

/// <summary>Handles button clicks whose custom_id starts with <see cref="Prefix"/>.</summary>
public interface IButtonHandler
{
    /// <summary>custom_id prefix including its separator, e.g. "sp|".</summary>
    string Prefix { get; }

    ComponentResponse Response { get; }

    bool Costly { get; }

    Task<CommandReply> ExecuteAsync(CommandContext context, string customId, CancellationToken cancellationToken);
}
