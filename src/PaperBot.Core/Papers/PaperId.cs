using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace PaperBot.Core.Papers;

/// <summary>
/// Deterministic paper ids. An arXiv id (without version) when known — "2608.16590", old style "cs/0601001" —
/// otherwise "t:" + the first 16 hex digits of SHA-256 over the normalised title.
/// </summary>
public static partial class PaperId
{
    public const string TitlePrefix = "t:";

    [GeneratedRegex(@"^(?<id>\d{4}\.\d{4,5})(v\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NewStyle();

    [GeneratedRegex(@"^(?<arch>[a-z][a-z\-]*(\.[a-z]{2})?)/(?<num>\d{7})(v\d+)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex OldStyle();

    /// <summary>True for ids built from a title hash (no arXiv id known).</summary>
    public static bool IsTitleId(string id) => id.StartsWith(TitlePrefix, StringComparison.Ordinal);

    /// <summary>
    /// Normalises an arXiv id or URL ("arXiv:2608.16590v2", "https://arxiv.org/abs/2608.16590v1", ".../pdf/cs/0601001v1.pdf")
    /// to its version-less form; null when <paramref name="raw"/> is not an arXiv id.
    /// </summary>
    public static string? NormalizeArxivId(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var s = raw.Trim();
        foreach (var marker in new[] { "/abs/", "/pdf/", "/html/" })
        {
            var i = s.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
            if (i >= 0)
            {
                s = s[(i + marker.Length)..];
                break;
            }
        }

        if (s.StartsWith("arxiv:", StringComparison.OrdinalIgnoreCase))
        {
            s = s[6..];
        }

        s = s.TrimEnd('/');
        var q = s.IndexOfAny(['?', '#']);
        if (q >= 0)
        {
            s = s[..q];
        }

        if (s.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase))
        {
            s = s[..^4];
        }

        var m = NewStyle().Match(s);
        if (m.Success)
        {
            return m.Groups["id"].Value;
        }

        m = OldStyle().Match(s);
        return m.Success ? m.Groups["arch"].Value.ToLowerInvariant() + "/" + m.Groups["num"].Value : null;
    }

    /// <summary>Lower-case, NFKC, every run of whitespace/punctuation collapsed to one space, trimmed.</summary>
    public static string NormalizeTitle(string? title)
    {
        if (string.IsNullOrEmpty(title))
        {
            return "";
        }

        var s = title.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var sb = new StringBuilder(s.Length);
        var pendingSpace = false;
        foreach (var ch in s)
        {
            if (char.IsLetterOrDigit(ch))
            {
                if (pendingSpace && sb.Length > 0)
                {
                    sb.Append(' ');
                }

                pendingSpace = false;
                sb.Append(ch);
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(ch) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
            {
                sb.Append(ch);
            }
            else
            {
                pendingSpace = true;
            }
        }

        return sb.ToString();
    }

    /// <summary>"t:" + first 16 hex digits of SHA-256(normalised title).</summary>
    public static string FromTitle(string title)
    {
        var norm = NormalizeTitle(title);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(norm), hash);
        return TitlePrefix + Convert.ToHexStringLower(hash[..8]);
    }

    /// <summary>The id a paper should have: its arXiv id when known, else the title id.</summary>
    public static string For(Paper paper)
    {
        ArgumentNullException.ThrowIfNull(paper);
        return NormalizeArxivId(paper.ArxivId) ?? FromTitle(paper.Title);
    }
}
