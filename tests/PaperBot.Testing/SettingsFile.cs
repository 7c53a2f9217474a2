using System.Text.Json;

namespace PaperBot.Testing;

/// <summary>Writes flat "Section:Key" settings as a nested appsettings-style JSON file (for the CLI's `--config FILE`).</summary>
public static class SettingsFile
{
    public static string Write(string path, IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var nested = new Dictionary<string, Dictionary<string, string?>>();
        foreach (var (key, value) in settings)
        {
            var parts = key.Split(':', 2);
            if (parts.Length != 2)
            {
                throw new ArgumentException($"'{key}' is not a Section:Key setting", nameof(settings));
            }

            if (!nested.TryGetValue(parts[0], out var section))
            {
                nested[parts[0]] = section = [];
            }

            section[parts[1]] = value;
        }

        File.WriteAllText(path, JsonSerializer.Serialize(nested));
        return path;
    }
}
