using System.Globalization;

namespace PaperBot.Bot.Options;

/// <summary>Parsing helpers for the digest's "HH:MM" time and IANA time zone.</summary>
public static class DigestTime
{
    public static bool TryParse(string? text, out TimeOnly time)
    {
        time = default;
        return !string.IsNullOrWhiteSpace(text) &&
               TimeOnly.TryParseExact(text.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }

    public static bool TryFindTimeZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
            return true;
        }
        catch (TimeZoneNotFoundException)
        {
            return false;
        }
        catch (InvalidTimeZoneException)
        {
            return false;
        }
    }
}
