using PaperBot.Bot.Commands;
using PaperBot.Discord.Interactions;

namespace PaperBot.Bot.Interactions;

/// <summary>Plugs a PaperBot slash command into the Discord interaction router.</summary>
public sealed class SlashCommandBridge(ISlashCommand command, InteractionDispatcher dispatcher) : ISlashCommandHandler
{
    public string CommandName => command.Definition.Name;

    public Task HandleAsync(InteractionContext context) => dispatcher.HandleCommandAsync(context, command);
}

/// <summary>Plugs a command's autocomplete into the router.</summary>
public sealed class AutocompleteBridge(IAutocompleteCommand command, InteractionDispatcher dispatcher) : IAutocompleteHandler
{
    public string CommandName => command.Definition.Name;

    public Task HandleAsync(InteractionContext context) => dispatcher.HandleAutocompleteAsync(context, command);
}

/// <summary>Plugs a button handler into the router (by custom_id prefix).</summary>
public sealed class ButtonBridge(IButtonHandler handler, InteractionDispatcher dispatcher) : IComponentHandler
{
    public string CustomIdPrefix => handler.Prefix;

    public Task HandleAsync(InteractionContext context) => dispatcher.HandleButtonAsync(context, handler);
}
