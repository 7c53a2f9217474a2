namespace PaperBot.Core.Papers;

/// <summary>
/// The paper database cannot be used (corrupt, unreadable or locked). The message is meant for the user as is:
/// it names the file and says what to do. Nothing is ever replaced when this is thrown.
/// </summary>
public sealed class PaperStoreException(string message, string databasePath, Exception? inner = null) : Exception(message, inner)
{
    public string DatabasePath { get; } = databasePath;
}
