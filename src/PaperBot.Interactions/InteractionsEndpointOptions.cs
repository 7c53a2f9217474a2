using System.ComponentModel.DataAnnotations;

namespace PaperBot.Interactions;

/// <summary>Configuration section "Interactions": the HTTP Interactions Endpoint (`paperbot serve-interactions`).</summary>
public sealed class InteractionsEndpointOptions : IValidatableObject
{
    public const string SectionName = "Interactions";

    /// <summary>The path Discord posts to (the path part of the Interactions Endpoint URL).</summary>
    [Required(ErrorMessage = "Interactions:Path must be set (default /interactions).")]
    public string Path { get; set; } = "/interactions";

    /// <summary>When a handler has not answered after this long, the HTTP response is a deferral (Discord allows 3 s)
    /// and the answer follows as an edit of @original.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:02.800", ErrorMessage = "Interactions:DeferAfter must be between 00:00:00.050 and 00:00:02.800 (Discord waits 3 s).")]
    public TimeSpan DeferAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Requests whose X-Signature-Timestamp is further than this from now are refused (replay protection).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:05:00", ErrorMessage = "Interactions:MaxTimestampAge must be between 00:00:05 and 00:05:00.")]
    public TimeSpan MaxTimestampAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest request body accepted (Discord's interactions are far smaller).</summary>
    [Range(1024, 8 * 1024 * 1024, ErrorMessage = "Interactions:MaxBodyBytes must be between 1024 and 8388608.")]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Path.StartsWith('/'))
        {
            yield return new ValidationResult("Interactions:Path must start with '/' (e.g. /interactions).", [nameof(Path)]);
        }
    }
}
