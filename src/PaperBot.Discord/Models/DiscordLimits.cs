namespace PaperBot.Discord.Models;

/// <summary>Discord's documented limits, enforced by the builders before anything is sent.</summary>
public static class DiscordLimits
{
    /// <summary>Message nonce (string form).</summary>
    public const int NonceLength = 25;

    public const int MessageContent = 2000;
    public const int EmbedsPerMessage = 10;
    public const int EmbedTitle = 256;
    public const int EmbedDescription = 4096;
    public const int EmbedFields = 25;
    public const int EmbedFieldName = 256;
    public const int EmbedFieldValue = 1024;
    public const int EmbedFooterText = 2048;
    public const int EmbedAuthorName = 256;
    public const int EmbedTotalCharacters = 6000;
    public const int ActionRowsPerMessage = 5;
    public const int ComponentsPerActionRow = 5;
    public const int CustomId = 100;
    public const int ButtonLabel = 80;
    public const int SelectOptions = 25;
    public const int SelectOptionLabel = 100;
    public const int SelectOptionValue = 100;
    public const int SelectOptionDescription = 100;
    public const int SelectPlaceholder = 150;
    public const int AutocompleteChoices = 25;
    public const int ChoiceName = 100;
    public const int ChoiceStringValue = 100;
    public const int ThreadName = 100;

    /// <summary>Files one message may carry.</summary>
    public const int AttachmentsPerMessage = 10;

    /// <summary>Upload size a bot may send in a server without boosts: 10 MiB for all files of a request together.</summary>
    public const int AttachmentBytes = 10 * 1024 * 1024;

    public const int AttachmentFileName = 1024;

    public const int AttachmentDescription = 1024;
    public const int ModalTitle = 45;
    public const int TextInputLabel = 45;
    public const int TextInputValue = 4000;
    public const int CommandName = 32;
    public const int CommandDescription = 100;
    public const int CommandOptions = 25;
    public const int GatewaySendsPerMinute = 120;
    public const int GlobalRestRequestsPerSecond = 50;
    public const int InvalidRequestsPerTenMinutes = 10_000;
}
