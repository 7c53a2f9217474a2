using System.Buffers;
using System.Net.WebSockets;

namespace PaperBot.Discord.Gateway;

/// <summary>One received frame: a complete text message, or the server's close (code and reason).</summary>
public readonly record struct GatewayFrame(ReadOnlyMemory<byte> Data, int? CloseCode, string? CloseReason)
{
    public bool IsClose => CloseCode is not null || Data.IsEmpty;
}

/// <summary>The socket seam of the gateway: a WebSocket carrying JSON text messages.</summary>
public interface IGatewaySocket : IAsyncDisposable
{
    Task ConnectAsync(Uri uri, CancellationToken ct);

    Task SendAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken ct);

    /// <summary>Returns the next complete message, or a close frame. Throws when the connection drops.</summary>
    Task<GatewayFrame> ReceiveAsync(CancellationToken ct);

    /// <summary>Sends a close frame with <paramref name="code"/> without waiting for the server's answer, then aborts.</summary>
    Task CloseAsync(int code, string reason, CancellationToken ct);
}

public interface IGatewaySocketFactory
{
    IGatewaySocket Create();
}

/// <summary>Creates <see cref="WebSocketGatewaySocket"/>s that send the same <c>User-Agent: DiscordBot (url, version)</c> as REST.</summary>
public sealed class WebSocketGatewaySocketFactory(Microsoft.Extensions.Options.IOptions<DiscordOptions> options) : IGatewaySocketFactory
{
    private readonly string _userAgent = $"DiscordBot ({options.Value.UserAgentUrl}, {options.Value.UserAgentVersion})";

    public IGatewaySocket Create() => new WebSocketGatewaySocket(_userAgent);
}

/// <summary><see cref="IGatewaySocket"/> over <see cref="ClientWebSocket"/> (JSON encoding, no compression).</summary>
public sealed class WebSocketGatewaySocket : IGatewaySocket
{
    private readonly ClientWebSocket _ws = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly TaskCompletionSource _closeSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _receiving;

    /// <summary>How long a close waits for the server's close frame before dropping the connection.</summary>
    public static TimeSpan CloseHandshakeTimeout { get; } = TimeSpan.FromSeconds(2);

    public WebSocketGatewaySocket(string? userAgent = null)
    {
        _ws.Options.KeepAliveInterval = TimeSpan.Zero;
        if (userAgent is not null)
        {
            _ws.Options.SetRequestHeader("User-Agent", userAgent);
        }
    }

    public Task ConnectAsync(Uri uri, CancellationToken ct) => _ws.ConnectAsync(uri, ct);

    public Task SendAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken ct)
        => _ws.SendAsync(utf8Json, WebSocketMessageType.Text, true, ct).AsTask();

    public async Task<GatewayFrame> ReceiveAsync(CancellationToken ct)
    {
        Interlocked.Exchange(ref _receiving, 1);
        try
        {
            _buffer.ResetWrittenCount();
            while (true)
            {
                var memory = _buffer.GetMemory(8 * 1024);
                var result = await _ws.ReceiveAsync(memory, ct).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closeSeen.TrySetResult();
                    return new GatewayFrame(ReadOnlyMemory<byte>.Empty, (int?)_ws.CloseStatus ?? 1005, _ws.CloseStatusDescription);
                }

                _buffer.Advance(result.Count);
                if (result.EndOfMessage)
                {
                    return new GatewayFrame(_buffer.WrittenMemory.ToArray(), null, null);
                }
            }
        }
        catch
        {
            _closeSeen.TrySetResult();
            throw;
        }
        finally
        {
            Interlocked.Exchange(ref _receiving, 0);
        }
    }

    /// <summary>
    /// Sends the close frame, then waits (at most <see cref="CloseHandshakeTimeout"/>, an I/O bound, not a protocol delay) for
    /// the server's close answer, read by a pending receive or drained here, so the frame is not lost to a TCP reset.
    /// </summary>
    public async Task CloseAsync(int code, string reason, CancellationToken ct)
    {
        try
        {
            if (_ws.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            {
                return;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(CloseHandshakeTimeout);
            await _ws.CloseOutputAsync((WebSocketCloseStatus)code, reason, timeout.Token).ConfigureAwait(false);
            if (_ws.State == WebSocketState.Closed)
            {
                return;
            }

            if (Volatile.Read(ref _receiving) == 0)
            {
                try
                {
                    var buffer = new byte[4096];
                    while (_ws.State == WebSocketState.CloseSent)
                    {
                        var r = await _ws.ReceiveAsync(buffer, timeout.Token).ConfigureAwait(false);
                        if (r.MessageType == WebSocketMessageType.Close)
                        {
                            break;
                        }
                    }

                    return;
                }
                catch (InvalidOperationException)
                {
                    // a receive started concurrently: it will see the server's close
                }
            }

            await _closeSeen.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // the connection is already gone or the server did not answer in time
        }
        finally
        {
            _ws.Abort();
        }
    }

    public ValueTask DisposeAsync()
    {
        _ws.Dispose();
        return ValueTask.CompletedTask;
    }
}
