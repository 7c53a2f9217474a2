using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PaperBot.Testing.FakeOpenAi;

/// <summary>
/// A loopback OpenAI-compatible server (Kestrel on 127.0.0.1:0) speaking the real /v1/chat/completions (with
/// tool_calls) and /v1/embeddings JSON, also under Azure paths (/openai/deployments/{d}/…). Chat replies are scripted
/// in order, and script what real models and servers do: text, tool calls (several in one response, as parallel tool
/// calling sends them), replies without "usage", status codes with Retry-After, OpenAI's 400 error bodies
/// (context_length_exceeded, a rejected temperature), slow replies and malformed JSON; every request is recorded.
/// Streaming is not scripted: PaperBot does not stream.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeReply> _chat = new();
    private readonly ConcurrentQueue<FakeReply> _embeddings = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private int _ids;

    private FakeOpenAiServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Root URL (http://127.0.0.1:port).</summary>
    public Uri Root { get; private set; } = null!;

    /// <summary>The OpenAI-style base URL: Root + "/v1".</summary>
    public string V1 => Root.ToString().TrimEnd('/') + "/v1";

    /// <summary>Reply used when the chat script is empty.</summary>
    public FakeReply DefaultChatReply { get; set; } = FakeReply.Text("(no scripted reply)");

    /// <summary>Vector for one input text (default: a deterministic bag-of-words hash, so similar texts are close).</summary>
    public Func<string, float[]> Embed { get; set; } = text => HashEmbedding(text, 64);

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToList();

    public IReadOnlyList<RecordedRequest> ChatRequests => _requests.Where(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal)).ToList();

    public IReadOnlyList<RecordedRequest> EmbeddingRequests => _requests.Where(r => r.Path.EndsWith("/embeddings", StringComparison.Ordinal)).ToList();

    public int PendingChatReplies => _chat.Count;

    public static async Task<FakeOpenAiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeOpenAiServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetService(typeof(IServer)) is IServer s ? s.Features.Get<IServerAddressesFeature>()!.Addresses.First() : throw new InvalidOperationException("no server");
        server.Root = new Uri(address);
        return server;
    }

    public void EnqueueChat(params FakeReply[] replies)
    {
        foreach (var r in replies)
        {
            _chat.Enqueue(r);
        }
    }

    public void EnqueueEmbeddings(params FakeReply[] replies)
    {
        foreach (var r in replies)
        {
            _embeddings.Enqueue(r);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Hashes words into <paramref name="dims"/> buckets and L2-normalises.</summary>
    public static float[] HashEmbedding(string text, int dims)
    {
        var v = new float[dims];
        foreach (var w in text.ToLowerInvariant().Split([' ', ',', '.', ';', ':', '(', ')', '-', '\n', '"', '?'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (w.Length < 3)
            {
                continue;
            }

            var h = 17;
            foreach (var c in w)
            {
                h = unchecked(h * 31 + c);
            }

            v[(int)((uint)h % dims)] += 1;
        }

        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return norm == 0 ? v : v.Select(x => x / norm).ToArray();
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var request = new RecordedRequest(
            ctx.Request.Method,
            ctx.Request.Path.Value ?? "",
            ctx.Request.QueryString.Value ?? "",
            ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body);
        _requests.Enqueue(request);

        var path = request.Path;
        if (ctx.Request.Method == "POST" && path.EndsWith("/chat/completions", StringComparison.Ordinal))
        {
            var reply = _chat.TryDequeue(out var r) ? r : DefaultChatReply;
            await WriteAsync(ctx, request, reply, chat: true);
        }
        else if (ctx.Request.Method == "POST" && path.EndsWith("/embeddings", StringComparison.Ordinal))
        {
            var reply = _embeddings.TryDequeue(out var r) ? r : FakeReply.Embeddings();
            await WriteAsync(ctx, request, reply, chat: false);
        }
        else
        {
            ctx.Response.StatusCode = 404;
            await ctx.Response.WriteAsJsonAsync(Error($"no route {path}", "invalid_request_error"));
        }
    }

    private async Task WriteAsync(HttpContext ctx, RecordedRequest request, FakeReply reply, bool chat)
    {
        while (true)
        {
            switch (reply)
            {
                case FakeReply.DynamicReply d:
                    reply = d.Factory(request);
                    continue;
                case FakeReply.SlowReply s:
                    try
                    {
                        await Task.Delay(s.Delay, ctx.RequestAborted);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    reply = s.Then;
                    continue;
                case FakeReply.StatusReply st:
                    ctx.Response.StatusCode = st.Code;
                    if (st.RetryAfter is { } ra)
                    {
                        ctx.Response.Headers["Retry-After"] = ((int)Math.Ceiling(ra.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                        ctx.Response.Headers["retry-after-ms"] = ((long)ra.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    }

                    await ctx.Response.WriteAsJsonAsync(Error(st.Message ?? $"scripted {st.Code}", st.ErrorCode ?? (st.Code == 429 ? "rate_limit_exceeded" : st.Code == 400 ? "invalid_request_error" : "server_error"), st.Param));
                    return;
                case FakeReply.MalformedReply:
                    ctx.Response.StatusCode = 200;
                    ctx.Response.ContentType = "application/json";
                    await ctx.Response.WriteAsync("{\"id\":\"chatcmpl-broken\",\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"unterminated");
                    return;
                case FakeReply.TextReply t when chat:
                    await WriteChatAsync(ctx, request, new JsonObject { ["role"] = "assistant", ["content"] = t.Content }, "stop", t.PromptTokens, t.CompletionTokens, t.WithUsage);
                    return;
                case FakeReply.ToolCallReply tc when chat:
                    var calls = new JsonArray();
                    foreach (var (name, args) in tc.Calls)
                    {
                        calls.Add(new JsonObject
                        {
                            ["id"] = "call_" + Interlocked.Increment(ref _ids),
                            ["type"] = "function",
                            ["function"] = new JsonObject { ["name"] = name, ["arguments"] = args },
                        });
                    }

                    await WriteChatAsync(ctx, request, new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = calls }, "tool_calls", tc.PromptTokens, tc.CompletionTokens, tc.WithUsage);
                    return;
                case FakeReply.EmbeddingsReply when !chat:
                    await WriteEmbeddingsAsync(ctx, request);
                    return;
                default:
                    ctx.Response.StatusCode = 500;
                    await ctx.Response.WriteAsJsonAsync(Error($"reply {reply.GetType().Name} does not fit this endpoint", "server_error"));
                    return;
            }
        }
    }

    private async Task WriteChatAsync(HttpContext ctx, RecordedRequest request, JsonObject message, string finish, int promptTokens, int completionTokens, bool withUsage)
    {
        var model = request.Json?["model"]?.GetValue<string>() ?? "fake";
        var json = new JsonObject
        {
            ["id"] = "chatcmpl-" + Interlocked.Increment(ref _ids),
            ["object"] = "chat.completion",
            ["created"] = 1_700_000_000,
            ["model"] = model,
            ["choices"] = new JsonArray
            {
                new JsonObject { ["index"] = 0, ["message"] = message, ["logprobs"] = null, ["finish_reason"] = finish },
            },
        };
        if (withUsage)
        {
            json["usage"] = new JsonObject
            {
                ["prompt_tokens"] = promptTokens,
                ["completion_tokens"] = completionTokens,
                ["total_tokens"] = promptTokens + completionTokens,
            };
        }

        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(json.ToJsonString());
    }

    private async Task WriteEmbeddingsAsync(HttpContext ctx, RecordedRequest request)
    {
        var j = request.Json;
        var input = j?["input"];
        var texts = input is JsonArray arr ? arr.Select(x => x!.GetValue<string>()).ToList() : [input?.GetValue<string>() ?? ""];
        var base64 = j?["encoding_format"]?.GetValue<string>() == "base64";
        var data = new JsonArray();
        var tokens = 0;
        for (var i = 0; i < texts.Count; i++)
        {
            var v = Embed(texts[i]);
            tokens += texts[i].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            JsonNode vector = base64
                ? JsonValue.Create(Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(v.AsSpan())))
                : new JsonArray(v.Select(x => (JsonNode)JsonValue.Create(x)).ToArray());
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = vector });
        }

        var json = new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = j?["model"]?.GetValue<string>() ?? "fake-embed",
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        };
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(json.ToJsonString());
    }

    private static JsonObject Error(string message, string code, string? param = null) => new()
    {
        ["error"] = new JsonObject { ["message"] = message, ["type"] = code == "context_length_exceeded" || code.StartsWith("unsupported", StringComparison.Ordinal) ? "invalid_request_error" : code, ["param"] = param, ["code"] = code },
    };
}

/// <summary>One request as received (headers case-insensitive).</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonNode? Json
    {
        get
        {
            try
            {
                return string.IsNullOrEmpty(Body) ? null : JsonNode.Parse(Body);
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    /// <summary>The "content" of every message with the given role (e.g. "tool" results).</summary>
    public IReadOnlyList<string> MessagesOf(string role) =>
        Json?["messages"] is JsonArray msgs
            ? msgs.Where(m => m?["role"]?.GetValue<string>() == role).Select(m => m!["content"] is JsonValue v ? v.GetValue<string>() : m["content"]?.ToJsonString() ?? "").ToList()
            : [];

    public IReadOnlyList<string> ToolNames =>
        Json?["tools"] is JsonArray tools ? tools.Select(t => t?["function"]?["name"]?.GetValue<string>() ?? "").ToList() : [];
}

/// <summary>A scripted reply.</summary>
public abstract record FakeReply
{
    public static FakeReply Text(string content, int promptTokens = 100, int completionTokens = 20) => new TextReply(content, promptTokens, completionTokens, true);

    /// <summary>A text reply with no "usage" object, as some OpenAI-compatible servers send.</summary>
    public static FakeReply TextWithoutUsage(string content) => new TextReply(content, 0, 0, false);

    /// <summary>Tool calls; names are SK's fully-qualified "plugin-function", arguments a JSON object.</summary>
    public static FakeReply ToolCall(string name, object arguments, int promptTokens = 80, int completionTokens = 10) =>
        new ToolCallReply([(name, JsonSerializer.Serialize(arguments))], promptTokens, completionTokens, true);

    /// <summary>A tool call whose arguments are sent exactly as given (models send malformed-ish JSON shapes).</summary>
    public static FakeReply ToolCallRaw(string name, string argumentsJson, int promptTokens = 80, int completionTokens = 10) =>
        new ToolCallReply([(name, argumentsJson)], promptTokens, completionTokens, true);

    /// <summary>Several tool calls in one response (parallel tool calling).</summary>
    public static FakeReply ToolCalls(params (string Name, object Arguments)[] calls) =>
        new ToolCallReply(calls.Select(c => (c.Name, JsonSerializer.Serialize(c.Arguments))).ToList(), 80, 10, true);

    public static FakeReply Status(int code, TimeSpan? retryAfter = null, string? message = null) => new StatusReply(code, retryAfter, message, null, null);

    /// <summary>OpenAI's 400 for a prompt over the model's context window.</summary>
    public static FakeReply ContextLengthExceeded() => new StatusReply(400, null,
        "This model's maximum context length is 8192 tokens. However, your messages resulted in 9731 tokens. Please reduce the length of the messages.",
        "context_length_exceeded", "messages");

    /// <summary>
    /// What a reasoning model (o-series) answers when a request carries <paramref name="parameter"/> (e.g.
    /// "temperature"): a 400 "unsupported_value"; a request without it gets <paramref name="then"/>.
    /// </summary>
    public static FakeReply RejectingParameter(string parameter, FakeReply then) => Dynamic(req =>
        req.Json?[parameter] is not null
            ? new StatusReply(400, null, $"Unsupported value: '{parameter}' does not support 0.2 with this model. Only the default (1) value is supported.", "unsupported_value", parameter)
            : then);

    public static FakeReply Malformed() => new MalformedReply();

    public static FakeReply Slow(TimeSpan delay, FakeReply then) => new SlowReply(delay, then);

    /// <summary>Decides the reply from the request (e.g. cite what the tool returned).</summary>
    public static FakeReply Dynamic(Func<RecordedRequest, FakeReply> factory) => new DynamicReply(factory);

    public static FakeReply Embeddings() => new EmbeddingsReply();

    public sealed record TextReply(string Content, int PromptTokens, int CompletionTokens, bool WithUsage) : FakeReply;

    public sealed record ToolCallReply(IReadOnlyList<(string Name, string Arguments)> Calls, int PromptTokens, int CompletionTokens, bool WithUsage) : FakeReply;

    public sealed record StatusReply(int Code, TimeSpan? RetryAfter, string? Message, string? ErrorCode, string? Param) : FakeReply;

    public sealed record MalformedReply : FakeReply;

    public sealed record SlowReply(TimeSpan Delay, FakeReply Then) : FakeReply;

    public sealed record DynamicReply(Func<RecordedRequest, FakeReply> Factory) : FakeReply;

    public sealed record EmbeddingsReply : FakeReply;
}
