namespace PaperBot.Discord.Models;

/// <summary>Thrown by builders before sending when a payload would break one of Discord's limits.</summary>
public sealed class DiscordLimitException(string message) : Exception(message);
