using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using PaperBot.Core.Papers;

namespace PaperBot.Core.Search.Evaluation;

/// <summary>
/// One hand-written evaluation question (the `eval/dev-questions.jsonl` format): the question, its kind, the exact
/// titles of the papers that answer it, and the abstract sentence(s) that carry the answer.
/// </summary>
public sealed record EvalQuestion
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("question")]
    public required string Question { get; init; }

    /// <summary>paraphrase, hard, finding, compare, off_topic or false_premise.</summary>
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    [JsonPropertyName("relevant_titles")]
    public IReadOnlyList<string> RelevantTitles { get; init; } = [];

    [JsonPropertyName("evidence")]
    public IReadOnlyList<string> Evidence { get; init; } = [];

    [JsonPropertyName("note")]
    public string? Note { get; init; }

    /// <summary>The paper ids the relevant titles map to (title ids, as the sample corpus has no arXiv ids).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> RelevantTitleIds => RelevantTitles.Select(PaperId.FromTitle).ToList();
}

/// <summary>Reads an evaluation question file (JSON Lines) and offers the shared text comparisons of the measures.</summary>
public static partial class QuestionSet
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    /// <summary>Loads every question; a malformed line fails with its line number.</summary>
    public static IReadOnlyList<EvalQuestion> Load(string path)
    {
        var list = new List<EvalQuestion>();
        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                list.Add(JsonSerializer.Deserialize<EvalQuestion>(line, Options)
                         ?? throw new InvalidDataException("null record"));
            }
            catch (Exception ex) when (ex is JsonException or InvalidDataException)
            {
                throw new InvalidDataException($"{path}:{lineNo}: not a question record ({ex.Message})", ex);
            }
        }

        return list;
    }

    /// <summary>Whitespace-collapsed, case-insensitive comparison form (the README's "compare whitespace-collapsed").</summary>
    public static string Collapse(string text) => Spaces().Replace(text, " ").Trim().ToLowerInvariant();

    /// <summary>True when <paramref name="answer"/> contains <paramref name="evidence"/>, whitespace-collapsed.</summary>
    public static bool ContainsEvidence(string answer, string evidence) =>
        Collapse(answer).Contains(Collapse(evidence), StringComparison.Ordinal);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
