using System.Globalization;

namespace PaperBot.Bot.Permissions;

/// <summary>Discord permission bits as sent in an interaction member's <c>permissions</c> string.</summary>
public static class PermissionCheck
{
    public const ulong Administrator = 0x8;

    public const ulong ManageGuild = 0x20;

    /// <summary>Parses the decimal bit-set string; null or malformed means no permissions.</summary>
    public static ulong Parse(string? permissions) =>
        ulong.TryParse(permissions, NumberStyles.None, CultureInfo.InvariantCulture, out var bits) ? bits : 0;

    /// <summary>True when the bits grant <paramref name="permission"/> (Administrator implies every permission).</summary>
    public static bool Has(string? permissions, ulong permission)
    {
        var bits = Parse(permissions);
        return (bits & Administrator) != 0 || (bits & permission) == permission;
    }

    /// <summary>Manage Server (MANAGE_GUILD, 0x20), needed for /settings.</summary>
    public static bool CanManageServer(string? permissions) => Has(permissions, ManageGuild);
}
