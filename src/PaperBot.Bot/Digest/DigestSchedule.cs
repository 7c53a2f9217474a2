using PaperBot.Bot.Options;
using PaperBot.Bot.Settings;

namespace PaperBot.Bot.Digest;

/// <summary>Today's slot for one guild: its local date and the UTC instant of its post time.</summary>
public readonly record struct DigestSlot(ulong GuildId, DateOnly LocalDate, DateTimeOffset DueUtc);

/// <summary>Pure time arithmetic for the daily digest: local date and post instant in the guild's IANA time zone.</summary>
public static class DigestSchedule
{
    /// <summary>The slot for the guild's current local date (its due time may be past or future).</summary>
    public static DigestSlot Today(GuildSettings settings, DateTimeOffset utcNow)
    {
        var (zone, time) = Resolve(settings);
        var localNow = TimeZoneInfo.ConvertTime(utcNow, zone);
        var date = DateOnly.FromDateTime(localNow.DateTime);
        return new DigestSlot(settings.GuildId, date, ToUtc(date, time, zone));
    }

    /// <summary>The next post instant strictly after <paramref name="utcNow"/>, or today's if it is still ahead.</summary>
    public static DateTimeOffset NextDue(GuildSettings settings, DateTimeOffset utcNow)
    {
        var today = Today(settings, utcNow);
        if (today.DueUtc > utcNow)
        {
            return today.DueUtc;
        }

        var (zone, time) = Resolve(settings);
        return ToUtc(today.LocalDate.AddDays(1), time, zone);
    }

    /// <summary>The UTC instant of local <paramref name="time"/> on <paramref name="date"/>; a time skipped by a DST jump moves forward.</summary>
    public static DateTimeOffset ToUtc(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var local = DateTime.SpecifyKind(date.ToDateTime(time), DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static (TimeZoneInfo Zone, TimeOnly Time) Resolve(GuildSettings settings)
    {
        if (!DigestTime.TryFindTimeZone(settings.TimeZone, out var zone))
        {
            throw new InvalidOperationException($"guild {settings.GuildId}: unknown time zone '{settings.TimeZone}'");
        }

        if (!DigestTime.TryParse(settings.Time, out var time))
        {
            throw new InvalidOperationException($"guild {settings.GuildId}: time '{settings.Time}' is not HH:MM");
        }

        return (zone, time);
    }
}
