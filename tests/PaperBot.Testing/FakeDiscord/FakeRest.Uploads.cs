using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace PaperBot.Testing.FakeDiscord;

/// <summary>One file part of a multipart/form-data request: its form name ("files[0]"), file name, type and bytes.</summary>
public sealed record FakeUpload(string FieldName, string FileName, string ContentType, byte[] Content)
{
    public string Text => Encoding.UTF8.GetString(Content);
}

/// <summary>
/// Uploads (https://discord.com/developers/docs/reference#uploading-files): a message with files comes as
/// multipart/form-data, the JSON body in the <c>payload_json</c> part and each file in a <c>files[n]</c> part whose n is the
/// id of its entry in the JSON's <c>attachments</c>. The fake parses the form with ASP.NET Core's multipart reader (as a
/// server would), validates payload_json against the spec's multipart/form-data schema like any JSON body, and enforces
/// the rules around it: at most 10 files, 10 MiB in all (413, code 40005), file parts named files[n] with a file name,
/// and every new attachment entry matched by a part and every part listed (50035).
/// </summary>
public sealed partial class FakeRest
{
    /// <summary>Upload limit for a bot in a server without boosts.</summary>
    public const int MaxUploadBytes = 10 * 1024 * 1024;

    private static readonly HashSet<string> MultipartRoutes = new(StringComparer.Ordinal)
    {
        "messages.create", "messages.edit", "interactions.callback", "webhooks.execute", "webhooks.original.edit", "webhooks.message.edit",
    };

    private readonly AsyncLocal<IReadOnlyList<FakeUpload>?> _currentUploads = new();
    private readonly AsyncLocal<IQueryCollection?> _currentQuery = new();

    /// <summary>Every file attached to a message, by attachment id (the id in the message's <c>attachments</c>).</summary>
    public ConcurrentDictionary<ulong, FakeUpload> Uploads { get; } = new();

    /// <summary>The uploaded bytes behind an attachment object of a message, as text (UTF-8).</summary>
    public string? AttachmentText(JsonNode? attachment) =>
        ulong.TryParse(attachment?["id"]?.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && Uploads.TryGetValue(id, out var u) ? u.Text : null;

    private static bool IsMultipart(HttpContext http) =>
        http.Request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The JSON body (payload_json for a form), the file parts, and an error when the form itself is malformed or too large.</summary>
    private static async Task<(string Body, IReadOnlyList<FakeUpload> Uploads, (int Status, JsonObject Body)? Error)> ReadBodyAsync(HttpContext http)
    {
        if (!IsMultipart(http))
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            return (await reader.ReadToEndAsync().ConfigureAwait(false), [], null);
        }

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
        {
            return ("", [], (400, FormError("_root", "MULTIPART_BOUNDARY_MISSING", "multipart/form-data needs a boundary parameter.")));
        }

        var uploads = new List<FakeUpload>();
        string body = "";
        var total = 0L;
        try
        {
            var multipart = new MultipartReader(boundary, http.Request.Body);
            while (await multipart.ReadNextSectionAsync().ConfigureAwait(false) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    || HeaderUtilities.RemoveQuotes(disposition.Name).Length == 0)
                {
                    return ("", [], (400, FormError("_root", "MULTIPART_DISPOSITION_INVALID", "Every part needs Content-Disposition: form-data with a name.")));
                }

                using var buffer = new MemoryStream();
                await section.Body.CopyToAsync(buffer).ConfigureAwait(false);
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (name == "payload_json")
                {
                    body = Encoding.UTF8.GetString(buffer.ToArray());
                    continue;
                }

                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value ?? HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "";
                total += buffer.Length;
                uploads.Add(new FakeUpload(name, fileName, section.ContentType ?? "application/octet-stream", buffer.ToArray()));
            }
        }
        catch (IOException ex)
        {
            return ("", [], (400, FormError("_root", "MULTIPART_MALFORMED", "The multipart body could not be read: " + ex.Message)));
        }

        if (total > MaxUploadBytes)
        {
            return (body, uploads, (413, new JsonObject { ["message"] = "Request entity too large", ["code"] = 40005 }));
        }

        return (body, uploads, null);
    }

    /// <summary>Rules of an upload that the schema cannot express; null when Discord accepts it.</summary>
    private static (int Status, JsonObject Body)? UploadError(string route, string body, IReadOnlyList<FakeUpload> uploads)
    {
        if (!MultipartRoutes.Contains(route))
        {
            return (400, FormError("_root", "MULTIPART_NOT_ALLOWED", $"{route} does not take files."));
        }

        if (uploads.Count > 10)
        {
            return (400, FormError("files", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length."));
        }

        var indexes = new HashSet<int>();
        foreach (var u in uploads)
        {
            if (!u.FieldName.StartsWith("files[", StringComparison.Ordinal) || !u.FieldName.EndsWith(']')
                || !int.TryParse(u.FieldName.AsSpan(6, u.FieldName.Length - 7), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || !indexes.Add(n))
            {
                return (400, FormError(u.FieldName.Length == 0 ? "_root" : u.FieldName, "FILE_FIELD_INVALID", "File parts are named files[n], each n once."));
            }

            if (string.IsNullOrWhiteSpace(u.FileName))
            {
                return (400, FormError(u.FieldName, "FILE_NAME_REQUIRED", "A file part needs a filename."));
            }
        }

        JsonNode? json;
        try
        {
            json = string.IsNullOrEmpty(body) ? null : JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // reported as invalid JSON by the caller
        }

        var attachments = (route == "interactions.callback" ? json?["data"]?["attachments"] : json?["attachments"]) as JsonArray;
        if (attachments is null)
        {
            return null;
        }

        var listed = new HashSet<int>();
        for (var i = 0; i < attachments.Count; i++)
        {
            var id = attachments[i]?["id"]?.ToString();
            if (int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < 1000)
            {
                if (!indexes.Contains(n))
                {
                    return (400, FormError($"attachments/{i}/id", "ATTACHMENT_NOT_FOUND", $"No files[{n}] part for attachment {n}."));
                }

                listed.Add(n);
            }
        }

        if (indexes.Except(listed).FirstOrDefault(-1) is var unlisted and >= 0)
        {
            return (400, FormError($"files[{unlisted}]", "ATTACHMENT_NOT_LISTED", $"files[{unlisted}] is not listed in attachments."));
        }

        return null;
    }

    /// <summary>The attachment objects of a message created or edited with this body and the current request's uploads.</summary>
    private JsonArray NewAttachments(ulong channelId, JsonObject body, JsonArray? existing)
    {
        var uploads = _currentUploads.Value ?? [];
        var byIndex = uploads.ToDictionary(u => int.Parse(u.FieldName.AsSpan(6, u.FieldName.Length - 7), CultureInfo.InvariantCulture));
        var result = new JsonArray();
        IEnumerable<(string? Id, string? Description)> entries = body["attachments"] is JsonArray list
            ? list.Select(a => (a?["id"]?.ToString(), a?["description"]?.GetValue<string>()))
            : byIndex.Keys.Order().Select(k => ((string?)k.ToString(CultureInfo.InvariantCulture), (string?)null));
        foreach (var (id, description) in entries)
        {
            if (int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && byIndex.TryGetValue(n, out var upload))
            {
                var attachmentId = _server.Snowflakes.Next();
                Uploads[attachmentId] = upload;
                var url = $"https://cdn.discordapp.invalid/attachments/{Id(channelId)}/{Id(attachmentId)}/{Uri.EscapeDataString(upload.FileName)}";
                var a = new JsonObject
                {
                    ["id"] = Id(attachmentId),
                    ["filename"] = upload.FileName,
                    ["size"] = upload.Content.Length,
                    ["url"] = url,
                    ["proxy_url"] = url.Replace("cdn.", "media.", StringComparison.Ordinal),
                    ["content_type"] = upload.ContentType,
                };
                if (description is not null)
                {
                    a["description"] = description;
                }

                result.Add(a);
            }
            else if (existing?.FirstOrDefault(e => e?["id"]?.GetValue<string>() == id) is { } kept)
            {
                result.Add(kept.DeepClone());
            }
        }

        return result;
    }

    /// <summary>The body of a callback sent with ?with_response=true: the interaction and, for a message, the message.</summary>
    private static JsonObject CallbackResponse(FakeInteraction interaction, int type)
    {
        var message = type == 7 ? interaction.Payload["message"] as JsonObject : interaction.OriginalMessage;
        var info = new JsonObject
        {
            ["id"] = interaction.Id.ToString(CultureInfo.InvariantCulture),
            ["type"] = interaction.Type,
        };
        if (type is 4 or 5 && interaction.OriginalMessage is { } original)
        {
            info["response_message_id"] = original["id"]!.DeepClone();
            info["response_message_loading"] = type == 5;
            info["response_message_ephemeral"] = ((original["flags"]?.GetValue<int>() ?? 0) & 64) != 0;
        }

        var response = new JsonObject { ["interaction"] = info };
        if (type is 4 or 7 && message is not null)
        {
            response["resource"] = new JsonObject { ["type"] = type, ["message"] = message.DeepClone() };
        }

        return response;
    }
}
