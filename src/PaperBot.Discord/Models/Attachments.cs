using System.Text.Json.Serialization;

namespace PaperBot.Discord.Models;

/// <summary>
/// A file to upload with a message. It is never serialised into the JSON: the REST client sends the message as
/// <c>multipart/form-data</c> with the JSON in a <c>payload_json</c> part and this file in a <c>files[n]</c> part, and
/// lists it in the JSON's <c>attachments</c> as <c>{"id": n, "filename", "description"}</c>
/// (https://discord.com/developers/docs/reference#uploading-files).
/// </summary>
public sealed class FileAttachment
{
    public FileAttachment(string fileName, ReadOnlyMemory<byte> content, string? description = null, string contentType = "application/octet-stream")
    {
        FileName = fileName;
        Content = content;
        Description = description;
        ContentType = contentType;
    }

    public string FileName { get; }

    public ReadOnlyMemory<byte> Content { get; }

    /// <summary>Alt text shown by clients (at most 1024 characters).</summary>
    public string? Description { get; }

    /// <summary>The part's Content-Type, e.g. "text/plain; charset=utf-8".</summary>
    public string ContentType { get; }
}

/// <summary>An entry of a message body's <c>attachments</c>: for a new upload the id is the index n of its <c>files[n]</c> part.</summary>
public sealed class AttachmentRequest
{
    [JsonPropertyName("id")] public string Id { get; init; } = "0";
    [JsonPropertyName("filename")] public string? FileName { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
}

/// <summary>An attachment of a message as Discord returns it.</summary>
public sealed class Attachment
{
    [JsonPropertyName("id")] public ulong Id { get; set; }
    [JsonPropertyName("filename")] public string FileName { get; set; } = "";
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("content_type")] public string? ContentType { get; set; }
    [JsonPropertyName("size")] public long Size { get; set; }
    [JsonPropertyName("url")] public string Url { get; set; } = "";
    [JsonPropertyName("proxy_url")] public string? ProxyUrl { get; set; }
}
