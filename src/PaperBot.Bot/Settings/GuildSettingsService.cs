using Microsoft.Extensions.Options;
using PaperBot.Bot.Options;
using PaperBot.Core.Persistence;

namespace PaperBot.Bot.Settings;

/// <summary>Reads and writes guild settings; the configured default guild (Digest:GuildId) counts as a guild with settings.</summary>
public sealed class GuildSettingsService(IRecordStore<GuildSettings> store, IOptions<DigestOptions> digest)
{
    /// <summary>Raised after /settings changes something, so the scheduler can re-plan at once.</summary>
    public event Action? Changed;

    public GuildSettings? Get(ulong guildId)
    {
        var stored = store.Get(GuildSettings.KeyFor(guildId));
        if (stored is not null)
        {
            return stored;
        }

        var d = digest.Value;
        return d.GuildId == guildId && d.ChannelId is { } channel ? FromDefaults(guildId, channel, d) : null;
    }

    public void Put(GuildSettings settings)
    {
        store.Put(GuildSettings.KeyFor(settings.GuildId), settings);
        Changed?.Invoke();
    }

    /// <summary>Every guild that should get a digest: stored settings plus the configured default guild.</summary>
    public IReadOnlyList<GuildSettings> AllScheduled()
    {
        var result = store.All().Select(kv => kv.Value).Where(s => s.ChannelId != 0).ToList();
        var d = digest.Value;
        if (d is { GuildId: { } g, ChannelId: { } c } && result.All(s => s.GuildId != g))
        {
            result.Add(FromDefaults(g, c, d));
        }

        return result;
    }

    private static GuildSettings FromDefaults(ulong guildId, ulong channelId, DigestOptions d) => new()
    {
        GuildId = guildId,
        ChannelId = channelId,
        Time = d.Time,
        TimeZone = d.TimeZone,
        Top = d.Top,
        Ranking = d.Ranking,
    };
}
