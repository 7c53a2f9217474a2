using PaperBot.Discord.Models;

namespace PaperBot.Bot.Options;

/// <summary>Autocomplete for IANA time-zone options (/settings, /readinggroup schedule).</summary>
public static class TimeZoneSuggestions
{
    private static readonly Lazy<string[]> ZoneIds = new(() =>
        TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Where(id => id.Contains('/') || id == "UTC").Order(StringComparer.Ordinal).ToArray());

    /// <summary>Up to 25 zone ids containing what was typed, those starting with it (or a segment starting with it) first.</summary>
    public static IReadOnlyList<ApplicationCommandOptionChoice> Suggest(string? typedText)
    {
        var typed = (typedText ?? "").Trim().Replace(' ', '_');
        return ZoneIds.Value
            .Where(id => id.Contains(typed, StringComparison.OrdinalIgnoreCase))
            .OrderBy(id => id.StartsWith(typed, StringComparison.OrdinalIgnoreCase) || id.Contains("/" + typed, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .Take(25)
            .Select(id => ApplicationCommandOptionChoice.String(id, id))
            .ToList();
    }
}
