using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PaperBot.Discord.Models;
using PaperBot.Discord.Rest;

namespace PaperBot.Discord.Commands;

/// <summary>What <see cref="ApplicationCommandRegistrar.RegisterAsync"/> did.</summary>
public enum CommandRegistrationOutcome
{
    /// <summary>The definitions changed (or were never registered): they were bulk-overwritten.</summary>
    Registered,

    /// <summary>Same definitions as the last successful overwrite for this scope: no request was sent.</summary>
    Unchanged,
}

/// <summary>
/// Bulk-overwrites application commands (globally or on one guild) after validating them, and skips the PUT when the
/// definitions hash equals the one stored for the scope after the last successful overwrite.
/// </summary>
public sealed class ApplicationCommandRegistrar(IDiscordRestClient rest, ICommandRegistrationStateStore state, ILogger<ApplicationCommandRegistrar> logger)
{
    /// <param name="guildId">null: global commands; otherwise that guild's.</param>
    public async Task<CommandRegistrationOutcome> RegisterAsync(IReadOnlyList<ApplicationCommand> commands, ulong? guildId, CancellationToken ct)
    {
        ApplicationCommandValidator.ThrowIfInvalid(commands);
        var app = await rest.GetApplicationIdAsync(ct).ConfigureAwait(false);
        var scope = guildId is { } g ? $"guild:{app}:{g}" : $"global:{app}";
        var hash = Hash(commands);
        if (state.GetHash(scope) == hash)
        {
            logger.LogInformation("Slash commands unchanged since the last registration ({Scope}); not sending them again", scope);
            return CommandRegistrationOutcome.Unchanged;
        }

        try
        {
            var result = guildId is { } guild
                ? await rest.BulkOverwriteGuildCommandsAsync(guild, commands, ct).ConfigureAwait(false)
                : await rest.BulkOverwriteGlobalCommandsAsync(commands, ct).ConfigureAwait(false);
            logger.LogInformation("Registered {Count} slash commands ({Scope})", result.Count, scope);
        }
        catch (DiscordRestException ex) when (ex.DiscordCode == DiscordErrorCodes.InvalidFormBody)
        {
            logger.LogError("Discord rejected the slash command definitions ({Scope}) with 50035: {Fields}", scope,
                ex.FieldErrors.Count == 0 ? ex.Message : string.Join("; ", ex.FieldErrors));
            throw;
        }

        state.SetHash(scope, hash);
        return CommandRegistrationOutcome.Registered;
    }

    /// <summary>SHA-256 over the JSON sent in the overwrite (hex).</summary>
    public static string Hash(IReadOnlyList<ApplicationCommand> commands)
        => Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(commands.ToList(), DiscordJsonContext.Default.ListApplicationCommand)));
}
