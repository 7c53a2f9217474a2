using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PaperBot.Testing.FakeHf;

/// <summary>What the fake server should do with the next request (scripted faults); unscripted requests get the fixture.</summary>
public abstract record FakeReply
{
    /// <summary>A status code with an optional Retry-After header value (delta-seconds or HTTP-date) and body.</summary>
    public sealed record Status(int Code, string? RetryAfter = null, string Body = "") : FakeReply;

    /// <summary>Waits before answering normally (a slow server, for timeouts).</summary>
    public sealed record Delay(TimeSpan Wait) : FakeReply;

    /// <summary>Declares the full Content-Length but sends only part of the body, then aborts the connection.</summary>
    public sealed record TruncatedConnection(double Fraction = 0.5) : FakeReply;

    /// <summary>A complete 200 response whose body is only the first part of the fixture (a truncated file).</summary>
    public sealed record TruncatedBody(double Fraction = 0.5) : FakeReply;
}

/// <summary>One request the server saw.</summary>
public sealed record FakeRequest(string Path, string Query, string? UserAgent, DateTimeOffset At);

/// <summary>
/// Loopback fake of the Hugging Face and arXiv APIs on 127.0.0.1 (ephemeral port), speaking real HTTP via Kestrel.
/// GET /api/daily_papers?date=D serves fixtures/hf/daily_papers_D.json (or [] for dates without a fixture);
/// GET /api/query serves the 2026-format arXiv Atom fixture (id_list=… filters it to those ids).
/// Faults are scripted per request with <see cref="Enqueue"/>.
/// </summary>
public sealed class FakeHfServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeReply> _script = new();
    private readonly ConcurrentQueue<FakeRequest> _requests = new();
    private readonly TimeProvider _time;

    private FakeHfServer(WebApplication app, TimeProvider time)
    {
        _app = app;
        _time = time;
    }

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<FakeRequest> Requests => [.. _requests];

    public static async Task<FakeHfServer> StartAsync(TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeHfServer(app, time ?? TimeProvider.System);
        app.MapGet("/api/daily_papers", server.DailyPapersAsync);
        app.MapGet("/api/query", server.ArxivQueryAsync);
        app.MapGet("/files/{name}", server.FileAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
        return server;
    }

    public void Enqueue(params FakeReply[] replies)
    {
        foreach (var r in replies)
        {
            _script.Enqueue(r);
        }
    }

    private Task DailyPapersAsync(HttpContext ctx)
    {
        var date = ctx.Request.Query["date"].ToString();
        var file = TestPaths.HfFixture($"daily_papers_{date}.json");
        var body = File.Exists(file) ? File.ReadAllText(file) : "[]";
        return ReplyAsync(ctx, body, "application/json; charset=utf-8");
    }

    private Task ArxivQueryAsync(HttpContext ctx)
    {
        var body = File.ReadAllText(TestPaths.ArxivFixture("arxiv_api_2026_new_format_q_testing_m100.atom.xml"));
        var idList = ctx.Request.Query["id_list"].ToString();
        if (idList.Length > 0)
        {
            var ids = idList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
            var doc = System.Xml.Linq.XDocument.Parse(body);
            System.Xml.Linq.XNamespace atom = "http://www.w3.org/2005/Atom";
            foreach (var e in doc.Root!.Elements(atom + "entry").ToList())
            {
                if (!ids.Any(id => e.Element(atom + "id")!.Value.Contains("/abs/" + id + "v", StringComparison.Ordinal)))
                {
                    e.Remove();
                }
            }

            body = doc.ToString();
        }

        return ReplyAsync(ctx, body, "application/atom+xml; charset=utf-8");
    }

    /// <summary>Serves any fixture file by name from tests/Fixtures or the sample corpus (for `ingest URL`).</summary>
    private Task FileAsync(HttpContext ctx, string name)
    {
        var path = new[] { TestPaths.HfFixture(name), TestPaths.ArxivFixture(name), Path.Combine(TestPaths.SeedPagesDir, name) }.FirstOrDefault(File.Exists);
        if (path is null)
        {
            ctx.Response.StatusCode = 404;
            return Task.CompletedTask;
        }

        return ReplyAsync(ctx, File.ReadAllText(path), "text/plain; charset=utf-8");
    }

    private async Task ReplyAsync(HttpContext ctx, string body, string contentType)
    {
        _requests.Enqueue(new FakeRequest(ctx.Request.Path, ctx.Request.QueryString.Value ?? "", ctx.Request.Headers.UserAgent.ToString(), _time.GetUtcNow()));
        _script.TryDequeue(out var reply);
        switch (reply)
        {
            case FakeReply.Status s:
                ctx.Response.StatusCode = s.Code;
                if (s.RetryAfter is not null)
                {
                    ctx.Response.Headers.RetryAfter = s.RetryAfter;
                }

                await ctx.Response.WriteAsync(s.Body);
                return;
            case FakeReply.Delay d:
                try
                {
                    await Task.Delay(d.Wait, ctx.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                break;
            case FakeReply.TruncatedConnection t:
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes(body);
                ctx.Response.ContentType = contentType;
                ctx.Response.ContentLength = bytes.Length;
                await ctx.Response.Body.WriteAsync(bytes.AsMemory(0, (int)(bytes.Length * t.Fraction)));
                await ctx.Response.Body.FlushAsync();
                ctx.Abort();
                return;
            }

            case FakeReply.TruncatedBody tb:
                body = body[..(int)(body.Length * tb.Fraction)];
                break;
        }

        ctx.Response.ContentType = contentType;
        await ctx.Response.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
