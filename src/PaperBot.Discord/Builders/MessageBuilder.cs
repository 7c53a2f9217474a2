using PaperBot.Discord.Models;

namespace PaperBot.Discord.Builders;

/// <summary>
/// Builds a <see cref="MessagePayload"/> for any send path. <see cref="Build"/> enforces Discord's limits (content 2000, 10 embeds,
/// 6000 embed characters, 5x5 components, custom_id 100) and always sets <c>allowed_mentions</c> (default <c>{"parse":[]}</c>).
/// </summary>
public sealed class MessageBuilder
{
    private readonly List<EmbedBuilder> _embeds = [];
    private readonly List<ActionRowBuilder> _rows = [];
    private readonly List<FileAttachment> _files = [];

    public MessageBuilder()
    {
    }

    public MessageBuilder(string content) => Content = content;

    public string? Content { get; set; }

    /// <summary>Never null: defaults to <see cref="AllowedMentions.None"/>.</summary>
    public AllowedMentions AllowedMentions { get; private set; } = AllowedMentions.None;

    public bool Ephemeral { get; set; }

    public bool SuppressEmbeds { get; set; }

    public MessageReference? ReplyTo { get; private set; }

    public IReadOnlyList<EmbedBuilder> Embeds => _embeds;

    public IReadOnlyList<ActionRowBuilder> Rows => _rows;

    /// <summary>Files to upload with the message (sent as multipart/form-data).</summary>
    public IReadOnlyList<FileAttachment> Files => _files;

    /// <summary>A native poll to post with the message (see <see cref="PollRequest.Create"/>).</summary>
    public PollRequest? Poll { get; private set; }

    /// <summary>Explicitly remove all components (for edits). Otherwise components are omitted when none were added.</summary>
    public bool ClearComponents { get; set; }

    public MessageBuilder WithContent(string? content) { Content = content; return this; }

    public MessageBuilder WithAllowedMentions(AllowedMentions allowedMentions)
    {
        AllowedMentions = allowedMentions ?? throw new ArgumentNullException(nameof(allowedMentions));
        return this;
    }

    /// <summary>Only visible to the invoking user (interaction responses and follow-ups only).</summary>
    public MessageBuilder AsEphemeral(bool ephemeral = true) { Ephemeral = ephemeral; return this; }

    public MessageBuilder WithoutEmbedPreviews(bool suppress = true) { SuppressEmbeds = suppress; return this; }

    public MessageBuilder ReplyToMessage(ulong messageId, ulong? channelId = null, bool failIfNotExists = false)
    {
        ReplyTo = new MessageReference { MessageId = messageId, ChannelId = channelId, FailIfNotExists = failIfNotExists };
        return this;
    }

    public MessageBuilder WithPoll(PollRequest poll) { Poll = poll ?? throw new ArgumentNullException(nameof(poll)); return this; }

    public MessageBuilder AddEmbed(EmbedBuilder embed) { _embeds.Add(embed); return this; }

    public MessageBuilder AddEmbed(Action<EmbedBuilder> configure)
    {
        var e = new EmbedBuilder();
        configure(e);
        _embeds.Add(e);
        return this;
    }

    public MessageBuilder AddActionRow(ActionRowBuilder row) { _rows.Add(row); return this; }

    public MessageBuilder AddActionRow(Action<ActionRowBuilder> configure)
    {
        var r = new ActionRowBuilder();
        configure(r);
        _rows.Add(r);
        return this;
    }

    /// <summary>Attaches a file; the message is then sent as multipart/form-data with the file in a <c>files[n]</c> part.</summary>
    public MessageBuilder AddFile(FileAttachment file)
    {
        _files.Add(file ?? throw new ArgumentNullException(nameof(file)));
        return this;
    }

    /// <summary>Attaches UTF-8 text as a file (e.g. "citations.bib").</summary>
    public MessageBuilder AddTextFile(string fileName, string text, string? description = null, string contentType = "text/plain; charset=utf-8") =>
        AddFile(new FileAttachment(fileName, System.Text.Encoding.UTF8.GetBytes(text), description, contentType));

    /// <summary>Validates and builds. Throws <see cref="DiscordLimitException"/> naming the broken limit.</summary>
    public MessagePayload Build()
    {
        if (Content is not null && Content.Length > DiscordLimits.MessageContent)
        {
            throw new DiscordLimitException($"Message content may be at most {DiscordLimits.MessageContent} characters, got {Content.Length}; split it with DiscordTextSplitter.");
        }

        if (_embeds.Count > DiscordLimits.EmbedsPerMessage)
        {
            throw new DiscordLimitException($"A message may have at most {DiscordLimits.EmbedsPerMessage} embeds, got {_embeds.Count}.");
        }

        var embeds = _embeds.Select(e => e.Build()).ToList();
        var total = _embeds.Sum(e => e.TotalLength);
        if (total > DiscordLimits.EmbedTotalCharacters)
        {
            throw new DiscordLimitException($"All embeds of a message together may have at most {DiscordLimits.EmbedTotalCharacters} characters, got {total}.");
        }

        var components = ComponentChecks.Rows(_rows);
        CheckFiles(_files);
        var flags = (Ephemeral ? MessageFlags.Ephemeral : 0) | (SuppressEmbeds ? MessageFlags.SuppressEmbeds : 0);
        return new MessagePayload(AllowedMentions)
        {
            Content = Content,
            Embeds = embeds.Count == 0 ? null : embeds,
            Components = components.Count == 0 ? (ClearComponents ? [] : null) : components,
            MessageReference = ReplyTo,
            Flags = flags == 0 ? null : flags,
            Poll = Poll,
            Attachments = _files.Count == 0 ? null : _files.Select((f, i) => new AttachmentRequest
            {
                Id = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                FileName = f.FileName,
                Description = f.Description,
            }).ToList(),
            Files = _files.ToList(),
        };
    }

    private static void CheckFiles(IReadOnlyList<FileAttachment> files)
    {
        if (files.Count > DiscordLimits.AttachmentsPerMessage)
        {
            throw new DiscordLimitException($"A message may carry at most {DiscordLimits.AttachmentsPerMessage} files, got {files.Count}.");
        }

        long total = 0;
        foreach (var f in files)
        {
            if (string.IsNullOrWhiteSpace(f.FileName) || f.FileName.Length > DiscordLimits.AttachmentFileName
                || f.FileName.IndexOfAny(['/', '\\', '"', '\r', '\n', '\0']) >= 0)
            {
                throw new DiscordLimitException($"A file name needs 1 to {DiscordLimits.AttachmentFileName} characters and no path separators, quotes or line breaks (got '{f.FileName}').");
            }

            if (f.Description is { Length: > DiscordLimits.AttachmentDescription })
            {
                throw new DiscordLimitException($"A file description may be at most {DiscordLimits.AttachmentDescription} characters.");
            }

            total += f.Content.Length;
        }

        if (total > DiscordLimits.AttachmentBytes)
        {
            throw new DiscordLimitException($"Files of one message may be at most {DiscordLimits.AttachmentBytes / (1024 * 1024)} MiB together, got {total:N0} bytes.");
        }
    }

    /// <summary>Shorthand: a plain text message with no pings.</summary>
    public static MessagePayload Text(string content) => new MessageBuilder(content).Build();
}
