using System.Globalization;

namespace PaperBot.Cli;

/// <summary>Parsed command line: positionals plus "--name value" / "--flag" options.</summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _flags = new(StringComparer.OrdinalIgnoreCase);

    public List<string> Positionals { get; } = [];

    /// <summary>Parses <paramref name="args"/>; names in <paramref name="flags"/> take no value.</summary>
    public static CliArgs Parse(IEnumerable<string> args, IReadOnlySet<string> flags)
    {
        var result = new CliArgs();
        using var e = args.GetEnumerator();
        var onlyPositionals = false;
        while (e.MoveNext())
        {
            var a = e.Current;
            if (onlyPositionals || !a.StartsWith("--", StringComparison.Ordinal) || a.Length == 2)
            {
                if (a == "--" && !onlyPositionals)
                {
                    onlyPositionals = true;
                    continue;
                }

                result.Positionals.Add(a);
                continue;
            }

            var name = a[2..];
            string? inlineValue = null;
            var eq = name.IndexOf('=');
            if (eq >= 0)
            {
                inlineValue = name[(eq + 1)..];
                name = name[..eq];
            }

            if (flags.Contains(name) && inlineValue is null)
            {
                result._flags.Add(name);
                continue;
            }

            if (inlineValue is null)
            {
                if (!e.MoveNext())
                {
                    throw new CliUsageException($"option --{name} needs a value");
                }

                inlineValue = e.Current;
            }

            if (!result._options.TryGetValue(name, out var list))
            {
                result._options[name] = list = [];
            }

            list.Add(inlineValue);
        }

        return result;
    }

    public bool Has(string flag) => _flags.Contains(flag) || _options.ContainsKey(flag);

    public string? Get(string name) => _options.TryGetValue(name, out var l) ? l[^1] : null;

    public IReadOnlyList<string> GetAll(string name) => _options.TryGetValue(name, out var l) ? l : [];

    public IEnumerable<string> OptionNames => _options.Keys.Concat(_flags);

    public int GetInt(string name, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        var raw = Get(name);
        if (raw is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
        {
            throw new CliUsageException($"--{name} must be a whole number between {min} and {max} (got '{raw}')");
        }

        return v;
    }

    public DateOnly? GetDate(string name)
    {
        var raw = Get(name);
        if (raw is null)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            throw new CliUsageException($"--{name} must be a date as YYYY-MM-DD (got '{raw}')");
        }

        return d;
    }

    /// <summary>Rejects options the command does not know, so typos are not silently ignored.</summary>
    public void EnsureOnly(params string[] known)
    {
        var set = new HashSet<string>(known, StringComparer.OrdinalIgnoreCase) { "db", "config", "read-only" };
        var unknown = OptionNames.FirstOrDefault(n => !set.Contains(n));
        if (unknown is not null)
        {
            throw new CliUsageException($"unknown option --{unknown}");
        }
    }
}

/// <summary>A usage error: printed to stderr with the command's usage, exit code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);
