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

public sealed class WebSocketGatewaySocketFactory : IGatewaySocketFactory
{
    public IGatewaySocket Create() => new WebSocketGatewaySocket();
}

/// <summary><see cref="IGatewaySocket"/> over <see cref="ClientWebSocket"/> (JSON encoding, no compression).</summary>
public sealed class WebSocketGatewaySocket : IGatewaySocket
{
    private readonly ClientWebSocket _ws = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);

    public WebSocketGatewaySocket()
    {
        _ws.Options.KeepAliveInterval = TimeSpan.Zero;
    }

    public Task ConnectAsync(Uri uri, CancellationToken ct) => _ws.ConnectAsync(uri, ct);

    public Task SendAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken ct)
        => _ws.SendAsync(utf8Json, WebSocketMessageType.Text, true, ct).AsTask();

    public async Task<GatewayFrame> ReceiveAsync(CancellationToken ct)
    {
        _buffer.ResetWrittenCount();
        while (true)
        {
            var memory = _buffer.GetMemory(8 * 1024);
            var result = await _ws.ReceiveAsync(memory, ct).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new GatewayFrame(ReadOnlyMemory<byte>.Empty, (int?)_ws.CloseStatus ?? 1005, _ws.CloseStatusDescription);
            }

            _buffer.Advance(result.Count);
            if (result.EndOfMessage)
            {
                return new GatewayFrame(_buffer.WrittenMemory.ToArray(), null, null);
            }
        }
    }

    public async Task CloseAsync(int code, string reason, CancellationToken ct)
    {
        try
        {
            if (_ws.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(2));
                await _ws.CloseOutputAsync((WebSocketCloseStatus)code, reason, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the connection is already gone; nothing more to tell the server
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
