using PaperBot.Bot.Digest;
using PaperBot.Bot.Settings;

namespace PaperBot.Bot.Tests.Unit;

public sealed class DigestScheduleTests
{
    private static GuildSettings Berlin(string time = "09:00") => new() { GuildId = 1, ChannelId = 2, Time = time, TimeZone = "Europe/Berlin" };

    [Fact]
    public void Nine_oclock_berlin_is_eight_utc_in_winter_and_seven_in_summer()
    {
        var winter = DigestSchedule.Today(Berlin(), new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2026, 11, 23), winter.LocalDate);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero), winter.DueUtc);
        var summer = DigestSchedule.Today(Berlin(), new DateTimeOffset(2026, 7, 1, 6, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 7, 0, 0, TimeSpan.Zero), summer.DueUtc);
    }

    [Fact]
    public void Local_date_follows_the_guild_time_zone_not_utc()
    {
        // 23:30 UTC on the 23rd is already the 24th in Berlin.
        var slot = DigestSchedule.Today(Berlin(), new DateTimeOffset(2026, 11, 23, 23, 30, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2026, 11, 24), slot.LocalDate);
    }

    [Fact]
    public void Next_due_is_tomorrow_once_today_passed()
    {
        var now = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero), DigestSchedule.NextDue(Berlin(), now));
        Assert.Equal(now, DigestSchedule.NextDue(Berlin(), now.AddTicks(-1)));
    }

    [Fact]
    public void A_time_skipped_by_dst_moves_forward()
    {
        // 2026-03-29 02:30 does not exist in Berlin (clocks jump 02:00 → 03:00 CEST = 01:00 UTC).
        var due = DigestSchedule.ToUtc(new DateOnly(2026, 3, 29), new TimeOnly(2, 30), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), due);
    }

    [Fact]
    public void Bad_settings_name_the_guild()
    {
        var s = Berlin();
        s.TimeZone = "Mars/Olympus";
        var ex = Assert.Throws<InvalidOperationException>(() => DigestSchedule.Today(s, DateTimeOffset.UnixEpoch));
        Assert.Contains("Mars/Olympus", ex.Message);
    }
}
