namespace PaperBot.Discord.Interactions;

/// <summary>Handles a slash (chat input) or context-menu command by its top-level name.</summary>
public interface ISlashCommandHandler
{
    string CommandName { get; }

    Task HandleAsync(InteractionContext context);
}

/// <summary>Handles autocomplete for a command (by its top-level name).</summary>
public interface IAutocompleteHandler
{
    string CommandName { get; }

    Task HandleAsync(InteractionContext context);
}

/// <summary>Handles button/select interactions whose custom_id starts with <see cref="CustomIdPrefix"/> (longest prefix wins).
/// Convention: custom_id = "prefix:args"; <see cref="InteractionContext.CustomIdArgs"/> holds "args".</summary>
public interface IComponentHandler
{
    string CustomIdPrefix { get; }

    Task HandleAsync(InteractionContext context);
}

/// <summary>Handles modal submissions by custom_id prefix.</summary>
public interface IModalHandler
{
    string CustomIdPrefix { get; }

    Task HandleAsync(InteractionContext context);
}
