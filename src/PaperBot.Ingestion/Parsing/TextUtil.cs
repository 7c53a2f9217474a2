using System.Globalization;

namespace PaperBot.Ingestion.Parsing;

internal static class TextUtil
{
    /// <summary>Unwraps hard-wrapped text: every run of whitespace (line breaks, indentation) becomes one space.</summary>
    public static string Unwrap(string? s) =>
        string.IsNullOrWhiteSpace(s) ? "" : string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The UTC calendar date of an ISO-8601 timestamp ("2026-08-17T00:00:00.000Z", "2017-01-23T06:54:20-04:00").</summary>
    public static DateOnly? IsoDate(string? s)
    {
        if (string.IsNullOrWhiteSpace(s))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var dto))
        {
            return DateOnly.FromDateTime(dto.UtcDateTime);
        }

        return DateOnly.TryParseExact(s.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
    }

    public static string ArxivAbs(string id) => "https://arxiv.org/abs/" + id;

    public static string ArxivPdf(string id) => "https://arxiv.org/pdf/" + id;

    public static string HfPaper(string id) => "https://huggingface.co/papers/" + id;
}
