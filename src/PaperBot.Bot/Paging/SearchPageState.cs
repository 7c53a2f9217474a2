using System.Globalization;
using PaperBot.Core.Search;

namespace PaperBot.Bot.Paging;

/// <summary>
/// Everything needed to render one /search page, encoded entirely in a button's custom_id (≤ 100 chars), so Prev/Next
/// keep working after a restart without any server-side state.
/// Format: <c>sp|page|sort|from|to|min|query</c> (dates as days since 1990-01-01 in base 36; the query last and raw).
/// </summary>
public sealed record SearchPageState(string Query, int Page, SearchSort Sort = SearchSort.Relevance, DateOnly? From = null, DateOnly? To = null, int? MinUpvotes = null)
{
    public const string Prefix = "sp";

    public const int MaxCustomIdLength = 100;

    /// <summary>The longest query that always fits (the /search query option is limited to this).</summary>
    public const int MaxQueryLength = 60;

    /// <summary>Dates are encoded relative to this day; earlier dates are not representable.</summary>
    public static readonly DateOnly Epoch = new(1990, 1, 1);

    public string Encode()
    {
        var s = string.Join('|',
            Prefix,
            ToBase36(Page),
            ((int)Sort).ToString(CultureInfo.InvariantCulture),
            From is { } f ? ToBase36(f.DayNumber - Epoch.DayNumber) : "",
            To is { } t ? ToBase36(t.DayNumber - Epoch.DayNumber) : "",
            MinUpvotes is { } m ? ToBase36(m) : "",
            Query);
        if (s.Length > MaxCustomIdLength)
        {
            throw new ArgumentException($"search state needs {s.Length} chars; custom_id allows {MaxCustomIdLength} (query too long)");
        }

        return s;
    }

    /// <summary>True when <paramref name="customId"/> belongs to a /search pager button.</summary>
    public static bool IsSearchPage(string customId) => customId.StartsWith(Prefix + "|", StringComparison.Ordinal);

    public static bool TryDecode(string? customId, out SearchPageState state)
    {
        state = null!;
        if (customId is null || customId.Length > MaxCustomIdLength || !IsSearchPage(customId))
        {
            return false;
        }

        var parts = customId.Split('|', 7);
        if (parts.Length != 7 ||
            !TryFromBase36(parts[1], out var page) ||
            !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var sort) ||
            !Enum.IsDefined((SearchSort)sort) ||
            !TryOptional(parts[3], out var from) ||
            !TryOptional(parts[4], out var to) ||
            !TryOptional(parts[5], out var min) ||
            parts[6].Length == 0)
        {
            return false;
        }

        state = new SearchPageState(
            parts[6],
            page,
            (SearchSort)sort,
            from is { } fd ? Epoch.AddDays(fd) : null,
            to is { } td ? Epoch.AddDays(td) : null,
            min);
        return true;
    }

    /// <summary>Fits a user's query into the state: trimmed, and cut at a word boundary if longer than <see cref="MaxQueryLength"/>.</summary>
    public static string FitQuery(string query)
    {
        var q = string.Join(' ', query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (q.Length <= MaxQueryLength)
        {
            return q;
        }

        var cut = q.LastIndexOf(' ', MaxQueryLength);
        return cut > 0 ? q[..cut] : q[..MaxQueryLength];
    }

    private static bool TryOptional(string s, out int? value)
    {
        value = null;
        if (s.Length == 0)
        {
            return true;
        }

        if (!TryFromBase36(s, out var v))
        {
            return false;
        }

        value = v;
        return true;
    }

    private static string ToBase36(int value)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "negative values are not encoded");
        }

        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        if (value == 0)
        {
            return "0";
        }

        Span<char> buf = stackalloc char[8];
        var i = buf.Length;
        while (value > 0)
        {
            buf[--i] = digits[value % 36];
            value /= 36;
        }

        return new string(buf[i..]);
    }

    private static bool TryFromBase36(string s, out int value)
    {
        value = 0;
        if (s.Length is 0 or > 6)
        {
            return false;
        }

        foreach (var c in s)
        {
            var d = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'z' ? c - 'a' + 10 : -1;
            if (d < 0)
            {
                return false;
            }

            value = value * 36 + d;
        }

        return true;
    }
}
