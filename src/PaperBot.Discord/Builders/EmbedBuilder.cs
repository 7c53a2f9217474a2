using PaperBot.Discord.Models;

namespace PaperBot.Discord.Builders;

/// <summary>Builds an embed; <see cref="Build"/> checks every per-embed limit and throws <see cref="DiscordLimitException"/>.</summary>
public sealed class EmbedBuilder
{
    private readonly List<EmbedField> _fields = [];

    public string? Title { get; set; }
    public string? Description { get; set; }
    public string? Url { get; set; }
    public int? Color { get; set; }
    public DateTimeOffset? Timestamp { get; set; }
    public string? FooterText { get; set; }
    public string? AuthorName { get; set; }
    public string? AuthorUrl { get; set; }
    public string? ThumbnailUrl { get; set; }
    public string? ImageUrl { get; set; }

    public IReadOnlyList<EmbedField> Fields => _fields;

    public EmbedBuilder WithTitle(string? title) { Title = title; return this; }
    public EmbedBuilder WithDescription(string? description) { Description = description; return this; }
    public EmbedBuilder WithUrl(string? url) { Url = url; return this; }
    public EmbedBuilder WithColor(int color) { Color = color; return this; }
    public EmbedBuilder WithTimestamp(DateTimeOffset timestamp) { Timestamp = timestamp; return this; }
    public EmbedBuilder WithFooter(string? text) { FooterText = text; return this; }
    public EmbedBuilder WithAuthor(string? name, string? url = null) { AuthorName = name; AuthorUrl = url; return this; }
    public EmbedBuilder WithThumbnail(string? url) { ThumbnailUrl = url; return this; }
    public EmbedBuilder WithImage(string? url) { ImageUrl = url; return this; }

    public EmbedBuilder AddField(string name, string value, bool inline = false)
    {
        _fields.Add(new EmbedField { Name = name, Value = value, Inline = inline ? true : null });
        return this;
    }

    /// <summary>Characters that count towards the 6000 total: title, description, field names and values, footer text, author name.</summary>
    public int TotalLength => (Title?.Length ?? 0) + (Description?.Length ?? 0) + (FooterText?.Length ?? 0) + (AuthorName?.Length ?? 0)
        + _fields.Sum(f => f.Name.Length + f.Value.Length);

    public Embed Build()
    {
        Check(Title, DiscordLimits.EmbedTitle, "embed title");
        Check(Description, DiscordLimits.EmbedDescription, "embed description");
        Check(FooterText, DiscordLimits.EmbedFooterText, "embed footer text");
        Check(AuthorName, DiscordLimits.EmbedAuthorName, "embed author name");
        if (_fields.Count > DiscordLimits.EmbedFields)
        {
            throw new DiscordLimitException($"An embed may have at most {DiscordLimits.EmbedFields} fields, got {_fields.Count}.");
        }

        for (var i = 0; i < _fields.Count; i++)
        {
            var f = _fields[i];
            if (string.IsNullOrWhiteSpace(f.Name) || string.IsNullOrWhiteSpace(f.Value))
            {
                throw new DiscordLimitException($"Embed field {i} needs a non-empty name and value.");
            }

            Check(f.Name, DiscordLimits.EmbedFieldName, $"embed field {i} name");
            Check(f.Value, DiscordLimits.EmbedFieldValue, $"embed field {i} value");
        }

        if (TotalLength > DiscordLimits.EmbedTotalCharacters)
        {
            throw new DiscordLimitException($"An embed may have at most {DiscordLimits.EmbedTotalCharacters} characters in total, got {TotalLength}.");
        }

        if (Title is null && Description is null && _fields.Count == 0 && ImageUrl is null && ThumbnailUrl is null && AuthorName is null && FooterText is null)
        {
            throw new DiscordLimitException("An embed needs at least a title, description, field, author, footer or image.");
        }

        return new Embed
        {
            Title = Title,
            Description = Description,
            Url = Url,
            Color = Color,
            Timestamp = Timestamp?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            Footer = FooterText is null ? null : new EmbedFooter { Text = FooterText },
            Author = AuthorName is null ? null : new EmbedAuthor { Name = AuthorName, Url = AuthorUrl },
            Thumbnail = ThumbnailUrl is null ? null : new EmbedMedia { Url = ThumbnailUrl },
            Image = ImageUrl is null ? null : new EmbedMedia { Url = ImageUrl },
            Fields = _fields.Count == 0 ? null : _fields.Select(f => new EmbedField { Name = f.Name, Value = f.Value, Inline = f.Inline }).ToList(),
        };
    }

    internal static void Check(string? value, int max, string what)
    {
        if (value is not null && value.Length > max)
        {
            throw new DiscordLimitException($"The {what} may be at most {max} characters, got {value.Length}.");
        }
    }
}
