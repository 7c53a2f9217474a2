using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace PaperBot.Cli;

/// <summary>
/// Option and argument factories shared by the verbs, so the same kind of value is parsed and explained the same way
/// everywhere (a range for numbers, YYYY-MM-DD for dates, a fixed list with completion for choices).
/// </summary>
public static class CliOptions
{
    /// <summary>--db PATH: global (before or after the verb).</summary>
    public static Option<string?> Db() => new("--db")
    {
        Description = "The LiteDB file (overrides Storage:DatabasePath and every other configuration layer)",
        HelpName = "PATH",
        Recursive = true,
    };

    /// <summary>--read-only: global; open the database without writing to it or its folder.</summary>
    public static Option<bool> ReadOnly() => new("--read-only")
    {
        Description = "Open the database without writing to it or its folder (search, show, related, trending, ask, export, stats)",
        Recursive = true,
    };

    /// <summary>--config FILE: global; a missing file is a usage error.</summary>
    public static Option<string?> Config()
    {
        var o = new Option<string?>("--config")
        {
            Description = "A JSON settings file loaded in place of ./appsettings.json",
            HelpName = "FILE",
            Recursive = true,
        };
        o.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } path && !File.Exists(path))
            {
                r.AddError($"config file not found: {path}");
            }
        });
        return o;
    }

    public static Option<bool> Json(string description = "Machine-readable JSON output") => new("--json") { Description = description };

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    public static Option<string?> Text(string name, string description, string helpName = "TEXT") =>
        new(name) { Description = description, HelpName = helpName };

    /// <summary>A whole number in [min, max]; "--top must be a whole number between 1 and 50 (got 'x')".</summary>
    public static Option<int> Int(string name, int defaultValue, int min, int max, string description) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => ParseInt(r, name, min, max) ?? defaultValue,
    };

    /// <summary>An optional whole number (null when absent).</summary>
    public static Option<int?> OptionalInt(string name, int min, int max, string description) => new(name)
    {
        Description = description,
        HelpName = "N",
        CustomParser = r => ParseInt(r, name, min, max),
    };

    /// <summary>A number in [min, max] (invariant culture: "1.2").</summary>
    public static Option<float?> Number(string name, float min, float max, string description) => new(name)
    {
        Description = description,
        HelpName = "X",
        CustomParser = r => ParseLast<float>(r,
            (string raw, out float v) => float.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out v) && v >= min && v <= max,
            raw => string.Create(CultureInfo.InvariantCulture, $"{name} must be a number between {min} and {max} (got '{raw}')")),
    };

    /// <summary>A date as YYYY-MM-DD (null when absent).</summary>
    public static Option<DateOnly?> Date(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "YYYY-MM-DD",
        CustomParser = r => ParseLast<DateOnly>(r,
            (string raw, out DateOnly d) => DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out d),
            raw => $"{name} must be a date as YYYY-MM-DD (got '{raw}')"),
    };

    /// <summary>
    /// One of a fixed set of words (case-insensitive; aliases allowed), completed by the shell.
    /// <paramref name="choices"/> maps every accepted word to its value; <paramref name="shown"/> is what help lists.
    /// </summary>
    public static Option<T> Choice<T>(string name, T defaultValue, IReadOnlyDictionary<string, T> choices, string[] shown, string description)
    {
        var o = new Option<T>(name)
        {
            Description = description,
            HelpName = string.Join('|', shown),
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r =>
            {
                var raw = r.Tokens.Count > 0 ? r.Tokens[^1].Value.Trim() : "";
                if (choices.TryGetValue(raw.ToLowerInvariant(), out var v))
                {
                    return v;
                }

                r.AddError($"{name} must be {Or(shown)} (got '{raw}')");
                return defaultValue;
            },
        };
        o.CompletionSources.Clear();
        o.CompletionSources.Add(shown);
        return o;
    }

    /// <summary>
    /// Free words (a query, a question, files): everything up to the first "--name" token. That token is left
    /// unmatched, so it is reported as an unknown option with the parser's typo suggestions instead of being
    /// silently taken as a word.
    /// </summary>
    public static Argument<string[]> Words(string name, string description) => new(name)
    {
        Description = description,
        Arity = ArgumentArity.ZeroOrMore,
        CustomParser = TakeUntilOption,
    };

    /// <summary>Exactly one value (an id, a path).</summary>
    public static Argument<string> One(string name, string description) => new(name) { Description = description };

    private static string[] TakeUntilOption(ArgumentResult r)
    {
        var n = 0;
        while (n < r.Tokens.Count && !LooksLikeOption(r.Tokens[n].Value))
        {
            n++;
        }

        var values = r.Tokens.Take(n).Select(t => t.Value).ToArray();
        if (n < r.Tokens.Count)
        {
            r.OnlyTake(n);
        }

        return values;
    }

    internal static bool LooksLikeOption(string token) => token.Length > 2 && token.StartsWith("--", StringComparison.Ordinal) && char.IsLetter(token[2]);

    private static int? ParseInt(ArgumentResult r, string name, int min, int max) => ParseLast<int>(r,
        (string raw, out int v) => int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out v) && v >= min && v <= max,
        raw => string.Create(CultureInfo.InvariantCulture, $"{name} must be a whole number between {min} and {max} (got '{raw}')"));

    private delegate bool TryParse<T>(string raw, out T value);

    /// <summary>The option's last value parsed (the last one wins when repeated); a parse error names the option.</summary>
    private static T? ParseLast<T>(ArgumentResult r, TryParse<T> parse, Func<string, string> error)
        where T : struct
    {
        if (r.Tokens.Count == 0)
        {
            return null;
        }

        var raw = r.Tokens[^1].Value;
        if (parse(raw, out var v))
        {
            return v;
        }

        r.AddError(error(raw));
        return null;
    }

    private static string Or(string[] words) => words.Length < 2 ? string.Concat(words) : string.Join(", ", words[..^1]) + " or " + words[^1];
}
