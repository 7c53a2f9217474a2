using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.UserSecrets;
using PaperBot.Cli;

namespace PaperBot.Hosting;

/// <summary>
/// Turns the configuration stack's exceptions into one line that names the file and the key: a settings file that is
/// not valid JSON, or a value the binder cannot convert ("K1": "fast"). Both used to crash with a stack trace.
/// </summary>
public static partial class ConfigurationErrors
{
    /// <summary>Adds a JSON settings file; invalid JSON throws <see cref="ConfigurationErrorException"/> with line and key.</summary>
    public static void LoadJsonFile(IConfigurationBuilder config, string path, bool optional)
    {
        try
        {
            // ConfigurationManager (the host builder's) loads a source as soon as it is added.
            config.AddJsonFile(path, optional, reloadOnChange: false);
        }
        catch (InvalidDataException ex)
        {
            throw new ConfigurationErrorException(DescribeInvalidJson(path, ex), ex);
        }
    }

    /// <summary>User-secrets (secrets.json), with the same error for invalid JSON. No profile directory: no secrets.</summary>
    public static void LoadUserSecrets(IConfigurationBuilder config, Assembly assembly)
    {
        if (assembly.GetCustomAttribute<UserSecretsIdAttribute>()?.UserSecretsId is not { } id)
        {
            return;
        }

        string path;
        try
        {
            path = PathHelper.GetSecretsPathFromSecretsId(id);
        }
        catch (InvalidOperationException)
        {
            return; // no HOME/APPDATA (e.g. a systemd service without a user profile): secrets come from env vars
        }

        LoadJsonFile(config, path, optional: true);
    }

    /// <summary>The message for a value of the wrong type, or null when <paramref name="ex"/> is not one.</summary>
    public static string? Describe(Exception ex, IConfiguration config)
    {
        foreach (var e in Chain(ex))
        {
            if (e is InvalidOperationException && ConversionFailed().Match(e.Message) is { Success: true } m)
            {
                var key = m.Groups["key"].Value;
                return $"{key} = '{m.Groups["value"].Value}' ({SourceOf(config, key)}) is not {Expected(m.Groups["type"].Value)}";
            }
        }

        return null;
    }

    private static IEnumerable<Exception> Chain(Exception ex)
    {
        var queue = new Queue<Exception>([ex]);
        while (queue.TryDequeue(out var e))
        {
            yield return e;
            if (e is AggregateException agg)
            {
                foreach (var inner in agg.InnerExceptions)
                {
                    queue.Enqueue(inner);
                }
            }
            else if (e.InnerException is { } inner)
            {
                queue.Enqueue(inner);
            }
        }
    }

    // Microsoft.Extensions.Configuration.Binder: "Failed to convert configuration value '{0}' at '{1}' to type '{2}'."
    [GeneratedRegex(@"configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex ConversionFailed();

    /// <summary>Which layer the effective value came from: the last provider that has the key.</summary>
    private static string SourceOf(IConfiguration config, string key)
    {
        if (config is not IConfigurationRoot root)
        {
            return "configuration";
        }

        foreach (var p in root.Providers.Reverse())
        {
            if (!p.TryGet(key, out _))
            {
                continue;
            }

            return p switch
            {
                JsonStreamConfigurationProvider => "the built-in defaults",
                FileConfigurationProvider f => "in " + (f.Source.FileProvider?.GetFileInfo(f.Source.Path ?? "").PhysicalPath ?? f.Source.Path),
                EnvironmentVariablesConfigurationProvider => "from the environment variable PAPERBOT_" + key.Replace(":", "__", StringComparison.Ordinal),
                _ => "from " + p.GetType().Name,
            };
        }

        return "configuration";
    }

    private static string Expected(string typeName)
    {
        var type = Type.GetType(typeName) ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName)).FirstOrDefault(t => t is not null);
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            null => $"a valid {typeName}",
            { IsEnum: true } => "one of " + string.Join(", ", Enum.GetNames(type)),
            _ when type == typeof(float) || type == typeof(double) || type == typeof(decimal) => "a number (e.g. 1.5)",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(uint) || type == typeof(ulong) => "a whole number",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(TimeSpan) => "a time span (hh:mm:ss, e.g. 00:00:30)",
            _ when type == typeof(TimeOnly) => "a time of day (HH:mm)",
            _ when type == typeof(Uri) => "a URL",
            _ => $"a valid {type.Name}",
        };
    }

    private static string DescribeInvalidJson(string path, InvalidDataException ex)
    {
        var json = Chain(ex).OfType<JsonException>().FirstOrDefault();
        var where = json?.LineNumber is { } line ? $" at line {line + 1}, position {(json.BytePositionInLine ?? 0) + 1}" : "";
        var key = LocateKey(path) is { Length: > 0 } k ? $", in key '{k}'" : "";
        var reason = json?.Message is { } m ? ": " + StripPosition(m) : "";
        return $"{path} is not valid JSON{where}{key}{reason}";
    }

    private static string StripPosition(string message)
    {
        var i = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (i > 0 ? message[..i] : message).Trim();
    }

    /// <summary>The key path ("Search:K1") the reader was in when the JSON broke, as the configuration names keys.</summary>
    private static string? LocateKey(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var frames = new List<(bool Array, string? Name, int Index)>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            while (reader.Read())
            {
                var t = reader.TokenType;
                if (t is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    frames.RemoveAt(frames.Count - 1);
                    continue;
                }

                if (t == JsonTokenType.PropertyName)
                {
                    frames[^1] = frames[^1] with { Name = reader.GetString() };
                    continue;
                }

                if (frames.Count > 0 && frames[^1].Array)
                {
                    frames[^1] = frames[^1] with { Index = frames[^1].Index + 1 };
                }

                if (t is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    frames.Add((t == JsonTokenType.StartArray, null, -1));
                }
            }
        }
        catch (JsonException)
        {
            return string.Join(':', frames.Select(f => f.Array ? Math.Max(0, f.Index).ToString(System.Globalization.CultureInfo.InvariantCulture) : f.Name).Where(n => n is not null));
        }

        return null;
    }
}
