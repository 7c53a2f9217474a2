using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using PaperBot.Core.Papers;

namespace PaperBot.Storage.Sharing;

/// <summary>The owner went away (socket gone, connection refused or reset): the caller takes over or waits for the next owner.</summary>
internal sealed class OwnerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A client of the owner's <see cref="StoreServer"/>: typed calls over the Unix socket.</summary>
internal sealed class RemoteStore : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _databasePath;

    public RemoteStore(string socketPath, string databasePath)
    {
        SocketPath = socketPath;
        _databasePath = databasePath;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://paperbot/"), Timeout = Timeout.InfiniteTimeSpan };
    }

    public string SocketPath { get; }

    public T Call<T>(string op, object? args = null, TimeSpan? timeout = null)
    {
        using var cts = timeout is { } t ? new CancellationTokenSource(t) : new CancellationTokenSource();
        try
        {
            using var response = _http.PostAsJsonAsync("rpc/" + op, args ?? new { }, Wire.Json, cts.Token).GetAwaiter().GetResult();
            if (response.IsSuccessStatusCode)
            {
                // Results.Json(null) answers 200 with an empty body: a missing record (Get of an absent key)
                if (response.Content.Headers.ContentLength == 0)
                {
                    return default!;
                }

                using var stream = response.Content.ReadAsStream(cts.Token);
                return JsonSerializer.Deserialize<T>(stream, Wire.Json)!;
            }

            throw ToException(response);
        }
        catch (Exception ex) when (IsGone(ex))
        {
            throw new OwnerUnavailableException($"the process sharing '{_databasePath}' is gone ({ex.Message})", ex);
        }
        catch (OperationCanceledException ex) when (timeout is not null)
        {
            throw new OwnerUnavailableException($"the process sharing '{_databasePath}' did not answer in {timeout.Value.TotalSeconds:0.#} s", ex);
        }
    }

    /// <summary>Streams a consistent snapshot from the owner into <paramref name="destination"/>.</summary>
    public long Backup(Stream destination)
    {
        try
        {
            using var response = _http.GetAsync("backup", HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode)
            {
                throw ToException(response);
            }

            using var body = response.Content.ReadAsStream();
            body.CopyTo(destination, 1 << 20);
            return destination.Length;
        }
        catch (Exception ex) when (IsGone(ex))
        {
            throw new OwnerUnavailableException($"the process sharing '{_databasePath}' is gone ({ex.Message})", ex);
        }
    }

    private Exception ToException(HttpResponseMessage response)
    {
        WireError? error = null;
        try
        {
            error = response.Content.ReadFromJsonAsync<WireError>(Wire.Json).GetAwaiter().GetResult();
        }
        catch (JsonException)
        {
        }

        var message = error?.Message ?? $"the process sharing the database answered {(int)response.StatusCode}";
        return error?.Type switch
        {
            "store" => new PaperStoreException(message, error.DatabasePath ?? _databasePath, null, error.Kind ?? StoreErrorKind.Io),
            "record" => new PaperRecordException(message, error.PaperId),
            "argument" => new ArgumentException(message),
            _ when response.StatusCode == HttpStatusCode.ServiceUnavailable => new OwnerUnavailableException(message),
            _ => new IOException(message),
        };
    }

    private static bool IsGone(Exception ex) => ex switch
    {
        HttpRequestException => true,
        SocketException => true,
        IOException { InnerException: SocketException } => true,
        _ => false,
    };

    public void Dispose() => _http.Dispose();
}
