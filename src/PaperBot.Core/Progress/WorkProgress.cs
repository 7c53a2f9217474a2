namespace PaperBot.Core.Progress;

/// <summary>
/// Progress of a long job (embedding backfill, evaluation, benchmark) for a progress display: <paramref name="Done"/> of
/// <paramref name="Total"/> items in the named stage. A new stage name starts a new bar.
/// </summary>
public readonly record struct WorkProgress(string Stage, long Done, long Total);
