using System.ComponentModel.DataAnnotations;
using PaperBot.Core.Papers;

namespace PaperBot.Storage;

/// <summary>The "Storage" config section.</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string SectionName = "Storage";

    /// <summary>The embedded default: one LiteDB file (<see cref="DatabasePath"/>).</summary>
    public const string LiteDb = "litedb";

    /// <summary>A PostgreSQL server shared by several processes (<see cref="ConnectionString"/>).</summary>
    public const string Postgres = "postgres";

    /// <summary>The environment variable the PostgreSQL connection string is read from.</summary>
    public const string ConnectionStringVariable = "PAPERBOT_Storage__ConnectionString";

    /// <summary>"litedb" (default: the file at <see cref="DatabasePath"/>) or "postgres" (<see cref="ConnectionString"/>).</summary>
    public string Provider { get; set; } = LiteDb;

    /// <summary>
    /// The Npgsql connection string when <see cref="Provider"/> is "postgres" (Host=…;Port=…;Database=…;Username=…;Password=…).
    /// A secret: set it in the PAPERBOT_Storage__ConnectionString environment variable or user-secrets; it is never logged.
    /// </summary>
    public string? ConnectionString { get; set; }

    public bool IsPostgres => string.Equals(Provider?.Trim(), Postgres, StringComparison.OrdinalIgnoreCase);

    /// <summary>The provider named by a configuration ("litedb" when unset).</summary>
    public static bool UsesPostgres(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        string.Equals(configuration[SectionName + ":" + nameof(Provider)]?.Trim(), Postgres, StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var provider = Provider?.Trim() ?? "";
        if (!string.Equals(provider, LiteDb, StringComparison.OrdinalIgnoreCase) && !IsPostgres)
        {
            yield return new ValidationResult($"Storage:Provider '{Provider}' is not known: set it to 'litedb' (the default, one file) or 'postgres'.", [nameof(Provider)]);
        }

        if (!IsPostgres && string.IsNullOrWhiteSpace(DatabasePath))
        {
            yield return new ValidationResult(
                "Storage:DatabasePath is not set: set Storage:DatabasePath in appsettings.json, " +
                "or the PAPERBOT_Storage__DatabasePath environment variable, or pass --db PATH.",
                [nameof(DatabasePath)]);
        }

        if (IsPostgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                $"Storage:ConnectionString is not set (Storage:Provider is postgres): set the {ConnectionStringVariable} environment variable " +
                "(or user-secrets 'Storage:ConnectionString') to an Npgsql connection string, e.g. Host=db.example;Database=paperbot;Username=paperbot;Password=….",
                [nameof(ConnectionString)]);
        }
    }

    /// <summary>Path of the LiteDB file (created with its directory when missing).</summary>
    /// <remarks>Required with the litedb provider (see <see cref="Validate"/>).</remarks>
    public string DatabasePath { get; set; } = "";

    /// <summary>
    /// Open the file without writing anything to it or its folder (read-only media, a snapshot): reads work, paper
    /// writes fail with a clear error, and other records (conversation memory, budgets) live only in this process.
    /// `--read-only` sets it.
    /// </summary>
    public bool ReadOnly { get; set; }

    /// <summary>
    /// How long a process that owns the database file waits before it shares it with other paperbot processes over
    /// its local socket (one-off commands finish before that and never start the listener).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "Storage:ShareAfter must be between 00:00:00 and 00:01:00.")]
    public TimeSpan ShareAfter { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a process waits for the owner of a locked database to share it (or to exit) before giving up.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Storage:WaitForOwner must be between 00:00:00 and 01:00:00.")]
    public TimeSpan WaitForOwner { get; set; } = TimeSpan.FromSeconds(30);

    [Range(16, 100_000, ErrorMessage = "Storage:MaxTitleChars must be between 16 and 100000.")]
    public int MaxTitleChars { get; set; } = PaperLimits.Default.MaxTitleChars;

    [Range(1_000, 4_000_000, ErrorMessage = "Storage:MaxAbstractChars must be between 1000 and 4000000.")]
    public int MaxAbstractChars { get; set; } = PaperLimits.Default.MaxAbstractChars;

    [Range(1, 100_000, ErrorMessage = "Storage:MaxAuthors must be between 1 and 100000.")]
    public int MaxAuthors { get; set; } = PaperLimits.Default.MaxAuthors;

    [Range(64, 1_000_000, ErrorMessage = "Storage:MaxFieldChars must be between 64 and 1000000.")]
    public int MaxFieldChars { get; set; } = PaperLimits.Default.MaxFieldChars;

    [Range(1, 100_000, ErrorMessage = "Storage:MaxListItems must be between 1 and 100000.")]
    public int MaxListItems { get; set; } = PaperLimits.Default.MaxListItems;

    public PaperLimits ToLimits() => new()
    {
        MaxTitleChars = MaxTitleChars,
        MaxAbstractChars = MaxAbstractChars,
        MaxAuthors = MaxAuthors,
        MaxFieldChars = MaxFieldChars,
        MaxListItems = MaxListItems,
    };
}
