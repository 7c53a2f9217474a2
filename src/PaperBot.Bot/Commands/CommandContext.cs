using System.Globalization;
using PaperBot.Discord.Models;

namespace PaperBot.Bot.Commands;

/// <summary>The interaction being handled, with typed option accessors that fail with user-facing messages.</summary>
public sealed class CommandContext(Interaction interaction)
{
    public Interaction Interaction { get; } = interaction;

    public ulong UserId => Interaction.Invoker?.Id ?? 0;

    public ulong? GuildId => Interaction.GuildId;

    public ulong ChannelId => Interaction.ChannelId ?? Interaction.Channel?.Id ?? 0;

    public string UserKey => UserId.ToString(CultureInfo.InvariantCulture);

    public string? GuildKey => GuildId?.ToString(CultureInfo.InvariantCulture);

    public string? GetString(string name)
    {
        var s = Interaction.GetOption(name)?.GetString();
        return string.IsNullOrWhiteSpace(s) ? null : s.Trim();
    }

    public string RequireString(string name) =>
        GetString(name) ?? throw new CommandException($"The `{name}` option is required.");

    public int? GetInt(string name, int min, int max)
    {
        var o = Interaction.GetOption(name);
        if (o is null)
        {
            return null;
        }

        var v = o.GetInt64();
        if (v is null || v < min || v > max)
        {
            throw new CommandException($"`{name}` must be a whole number from {min} to {max}.");
        }

        return (int)v.Value;
    }

    public DateOnly? GetDate(string name)
    {
        var s = GetString(name);
        if (s is null)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            throw new CommandException($"`{name}` must be a date like 2026-11-23 (got `{Sanitize(s)}`).");
        }

        return d;
    }

    public ulong? GetSnowflake(string name) =>
        ulong.TryParse(GetString(name), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>User text echoed back: no backticks or newlines, bounded.</summary>
    public static string Sanitize(string s) => Formatting.PaperText.Truncate(s.Replace('`', '\'').Replace('\n', ' '), 80);
}
