using System.ComponentModel.DataAnnotations;

namespace PaperBot.Storage;

/// <summary>The "Storage" config section.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Path of the LiteDB file (created with its directory when missing).</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage =
        "Storage:DatabasePath is not set: set Storage:DatabasePath in appsettings.json, " +
        "or the PAPERBOT_Storage__DatabasePath environment variable, or pass --db PATH.")]
    public string DatabasePath { get; set; } = "";
}
