using PaperBot.Core.Search.Evaluation;

namespace PaperBot.Cli;

/// <summary>Loads a question file (the dev question set's JSONL format) for the eval and bench verbs.</summary>
internal static class QuestionFiles
{
    /// <summary>The questions, or a <see cref="UserFacingException"/> naming the file and what is wrong with it (exit 1).</summary>
    public static IReadOnlyList<EvalQuestion> Load(string path)
    {
        try
        {
            return QuestionSet.Load(path);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new UserFacingException($"cannot read questions: {ex.Message}", ex);
        }
    }
}
