using System.Globalization;

namespace PaperBot.Bot.Permissions;

/// <summary>Discord permission bits as sent in an interaction member's <c>permissions</c> string.</summary>
public static class PermissionCheck
{
    public const ulong Administrator = 0x8;

    public const ulong ManageGuild = 0x20;

    public const ulong SendMessages = 1UL << 11;

    public const ulong EmbedLinks = 1UL << 14;

    public const ulong ManageEvents = 1UL << 33;

    public const ulong CreatePublicThreads = 1UL << 35;

    public const ulong SendMessagesInThreads = 1UL << 38;

    public const ulong CreateEvents = 1UL << 44;

    /// <summary>The names Discord's client shows for the bits checked here.</summary>
    private static readonly (ulong Bit, string Name)[] Names =
    [
        (SendMessages, "Send Messages"),
        (EmbedLinks, "Embed Links"),
        (ManageEvents, "Manage Events"),
        (CreatePublicThreads, "Create Public Threads"),
        (SendMessagesInThreads, "Send Messages in Threads"),
        (CreateEvents, "Create Events"),
    ];

    /// <summary>Parses the decimal bit-set string; null or malformed means no permissions.</summary>
    public static ulong Parse(string? permissions) =>
        ulong.TryParse(permissions, NumberStyles.None, CultureInfo.InvariantCulture, out var bits) ? bits : 0;

    /// <summary>True when the bits grant <paramref name="permission"/> (Administrator implies every permission).</summary>
    public static bool Has(string? permissions, ulong permission)
    {
        var bits = Parse(permissions);
        return (bits & Administrator) != 0 || (bits & permission) == permission;
    }

    /// <summary>True when the bits grant at least one of <paramref name="permissions"/>' bits.</summary>
    public static bool HasAny(string? permissions, ulong anyOf)
    {
        var bits = Parse(permissions);
        return (bits & Administrator) != 0 || (bits & anyOf) != 0;
    }

    /// <summary>
    /// The bot's own permissions in the channel come with every interaction as <c>app_permissions</c>. Returns the display
    /// names of the <paramref name="required"/> bits it lacks (empty when it has them all, or is an administrator).
    /// </summary>
    public static IReadOnlyList<string> Missing(string? appPermissions, ulong required)
    {
        var bits = Parse(appPermissions);
        if ((bits & Administrator) != 0)
        {
            return [];
        }

        return Names.Where(n => (required & n.Bit) != 0 && (bits & n.Bit) == 0).Select(n => n.Name).ToList();
    }

    /// <summary>Manage Server (MANAGE_GUILD, 0x20), needed for /settings.</summary>
    public static bool CanManageServer(string? permissions) => Has(permissions, ManageGuild);
}
