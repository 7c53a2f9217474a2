namespace PaperBot.Bot.Formatting;

/// <summary>Parses the /compare "ids" option: paper ids separated by commas or spaces.</summary>
public static class PaperIdList
{
    public static IReadOnlyList<string> Parse(string? text) =>
        (text ?? "").Split([',', ' ', ';', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Clean)
            .Where(s => s.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

    /// <summary>Strips "arXiv:" and a version suffix ("2401.00001v2" → "2401.00001").</summary>
    public static string Clean(string raw)
    {
        var s = raw.Trim().Trim('<', '>', '`', '"');
        if (s.StartsWith("arxiv:", StringComparison.OrdinalIgnoreCase))
        {
            s = s[6..];
        }

        foreach (var marker in new[] { "/abs/", "/pdf/", "/papers/" })
        {
            var i = s.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
            if (i >= 0)
            {
                s = s[(i + marker.Length)..].TrimEnd('/');
                if (s.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase))
                {
                    s = s[..^4];
                }
            }
        }

        var v = s.LastIndexOf('v');
        if (v > 0 && v < s.Length - 1 && char.IsDigit(s[v - 1]) && s[(v + 1)..].All(char.IsDigit))
        {
            s = s[..v];
        }

        return s;
    }
}
