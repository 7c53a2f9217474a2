using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PaperBot.Core.Papers;

namespace PaperBot.Storage.Sharing;

/// <summary>
/// The local protocol between paperbot processes on one database: HTTP/1.1 over a Unix domain socket (Kestrel on the
/// owner's side, HttpClient on the others'), one POST /rpc/{operation} per store call with a JSON body and a JSON
/// reply, and GET /backup streaming a snapshot. Errors come back as a status code and a <see cref="WireError"/>, and
/// are raised again as the same exception types on the caller's side.
/// </summary>
internal static class Wire
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The socket for a database: "&lt;db&gt;.sock" next to it when that path fits a Unix socket address (108 bytes),
    /// otherwise a name derived from the database path in the temp folder.
    /// </summary>
    public static string SocketPathFor(string databasePath)
    {
        var full = Path.GetFullPath(databasePath);
        var beside = full + ".sock";
        if (Encoding.UTF8.GetByteCount(beside) < 100)
        {
            return beside;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..16];
        return Path.Combine(Path.GetTempPath(), $"paperbot-{hash}.sock");
    }
}

/// <summary>An error reply: what kind, and the message meant for the user.</summary>
internal sealed record WireError(string Type, string Message, StoreErrorKind? Kind = null, string? PaperId = null, string? DatabasePath = null);

internal sealed record IdArgs(string Id);

internal sealed record IdsArgs(List<string> Ids);

internal sealed record UpsertArgs(List<Paper> Papers, MergeMode Mode);

internal sealed record PageArgs(string? After, int Limit);

internal sealed record ChangedArgs(long Since, int Limit);

internal sealed record SinceArgs(long Since);

internal sealed record TrendingArgs(DateOnly From, DateOnly To, int Top);

internal sealed record RelatedArgs(string Id, int Top);

internal sealed record RecordArgs(string Collection, string? Key = null, string? Json = null);

internal sealed record RecordItem(string Key, string Json);

internal sealed record StoreInfo(long Revision, string StoreId, int Count, int ProcessId);
