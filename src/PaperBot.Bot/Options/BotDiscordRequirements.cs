using Microsoft.Extensions.Options;
using PaperBot.Discord;

namespace PaperBot.Bot.Options;

/// <summary>What `paperbot run` needs from the "Discord" section beyond the client's own checks: the application id.</summary>
public sealed class BotDiscordRequirements : IValidateOptions<DiscordOptions>
{
    public ValidateOptionsResult Validate(string? name, DiscordOptions options) =>
        options.ApplicationId is null or 0
            ? ValidateOptionsResult.Fail("Discord:ApplicationId is required; set PAPERBOT_Discord__ApplicationId (Developer Portal → General Information → Application ID)")
            : ValidateOptionsResult.Success;
}
