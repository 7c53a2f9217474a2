using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaperBot.Core.Papers;
using PaperBot.Core.Search;

namespace PaperBot.Storage.Sharing;

/// <summary>
/// The owner's side: serves its open database and search index to the other paperbot processes on the same database
/// (see <see cref="Wire"/>). Every call runs on the owner's own store, so there is one writer, one index and one
/// sync point, whatever the number of processes. The socket is only accessible to the same user (mode 0600).
/// </summary>
internal sealed class StoreServer : IAsyncDisposable
{
    private const int PageLimit = 5000;
    private readonly WebApplication _app;

    private StoreServer(WebApplication app, string socketPath)
    {
        _app = app;
        SocketPath = socketPath;
    }

    public string SocketPath { get; }

    public static async Task<StoreServer> StartAsync(
        string socketPath,
        LiteDbPaperStore store,
        LiteDbRawRecords records,
        ISearchService search,
        ISearchIndexMaintenance index,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        // The process holds the database lock, so a socket file left here is a crashed owner's.
        if (File.Exists(socketPath))
        {
            File.Delete(socketPath);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.ListenUnixSocket(socketPath);
            k.Limits.MaxRequestBodySize = 256L * 1024 * 1024;
            k.AddServerHeader = false;
        });
        builder.Services.Configure<KestrelServerOptions>(o => o.AllowSynchronousIO = false);
        // The router starts and stops this server. Its default console lifetime would take SIGINT and SIGTERM for
        // itself (stopping only this server and cancelling the process's own handling of the signal).
        builder.Services.AddSingleton<IHostLifetime, OwnedLifetime>();
        var app = builder.Build();
        var log = loggers.CreateLogger("PaperBot.Storage.Sharing");
        app.MapPost("/rpc/{op}", async (string op, HttpContext ctx) =>
        {
            try
            {
                var body = await JsonDocument.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted);
                var result = Dispatch(op, body.RootElement, store, records, search, index);
                return Results.Json(result, Wire.Json);
            }
            catch (PaperStoreException ex)
            {
                return Results.Json(new WireError("store", ex.Message, ex.Kind, DatabasePath: ex.DatabasePath), Wire.Json, statusCode: 503);
            }
            catch (PaperRecordException ex)
            {
                return Results.Json(new WireError("record", ex.Message, PaperId: ex.PaperId), Wire.Json, statusCode: 422);
            }
            catch (Exception ex) when (ex is ArgumentException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return Results.Json(new WireError("argument", ex.Message), Wire.Json, statusCode: 400);
            }
            catch (Exception ex) when (ex is IOException)
            {
                log.LogWarning("shared database call {Op} failed: {Error}", op, ex.Message);
                return Results.Json(new WireError("io", ex.Message), Wire.Json, statusCode: 500);
            }
        });
        app.MapGet("/backup", async (HttpContext ctx) =>
        {
            var temp = Path.Combine(Path.GetTempPath(), $"paperbot-backup-{Guid.NewGuid():N}.db");
            try
            {
                store.Backup(temp);
                ctx.Response.ContentType = "application/octet-stream";
                await using var fs = new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
                ctx.Response.ContentLength = fs.Length;
                await fs.CopyToAsync(ctx.Response.Body, ctx.RequestAborted);
            }
            catch (PaperStoreException ex)
            {
                ctx.Response.StatusCode = 503;
                await ctx.Response.WriteAsJsonAsync(new WireError("store", ex.Message, ex.Kind, DatabasePath: ex.DatabasePath), Wire.Json);
            }
            finally
            {
                File.Delete(temp);
            }
        });

        await app.StartAsync(cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return new StoreServer(app, socketPath);
    }

    private static object? Dispatch(string op, JsonElement args, LiteDbPaperStore store, LiteDbRawRecords records, ISearchService search, ISearchIndexMaintenance index)
    {
        T A<T>() => args.Deserialize<T>(Wire.Json) ?? throw new ArgumentException($"'{op}' needs arguments");
        switch (op)
        {
            case "info":
                return new StoreInfo(store.CurrentRevision, store.StoreId, store.Count(), Environment.ProcessId);
            case "upsert":
                var u = A<UpsertArgs>();
                return store.Upsert(u.Papers, u.Mode);
            case "get":
                return store.Get(A<IdArgs>().Id);
            case "getMany":
                return store.GetMany(A<IdsArgs>().Ids);
            case "page":
                var page = A<PageArgs>();
                return store.Page(page.After, Math.Clamp(page.Limit, 1, PageLimit));
            case "changed":
                var c = A<ChangedArgs>();
                return store.ChangedSince(c.Since).Take(Math.Clamp(c.Limit, 1, PageLimit)).ToList();
            case "deleted":
                return store.DeletedSince(A<SinceArgs>().Since);
            case "delete":
                return store.Delete(A<IdArgs>().Id);
            case "trending":
                var t = A<TrendingArgs>();
                return store.Trending(t.From, t.To, t.Top);
            case "newest":
                return store.NewestTrendingDate();
            case "stats":
                return store.Stats();
            case "search":
                return search.Search(A<SearchQuery>());
            case "search.mode":
                return search.ResolveMode(A<SearchMode>());
            case "related":
                var r = A<RelatedArgs>();
                return search.Related(r.Id, r.Top);
            case "index.sync":
                index.Synchronize();
                return index.Describe();
            case "index.rebuild":
                return index.Rebuild();
            case "index.describe":
                return index.Describe();
            case "rec.get":
                var g = A<RecordArgs>();
                return records.Get(g.Collection, g.Key ?? "");
            case "rec.put":
                var p = A<RecordArgs>();
                records.Put(p.Collection, p.Key ?? "", p.Json ?? "null");
                return true;
            case "rec.tryInsert":
                var ti = A<RecordArgs>();
                return records.TryInsert(ti.Collection, ti.Key ?? "", ti.Json ?? "null");
            case "rec.delete":
                var d = A<RecordArgs>();
                return records.Delete(d.Collection, d.Key ?? "");
            case "rec.all":
                return records.All(A<RecordArgs>().Collection).Select(kv => new RecordItem(kv.Key, kv.Value)).ToList();
            case "rec.count":
                return records.Count(A<RecordArgs>().Collection);
            default:
                throw new ArgumentException($"unknown operation '{op}'");
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Graceful: calls in flight finish, new connections are refused (callers then take over or wait).
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _app.StopAsync(cts.Token);
        }
        finally
        {
            await _app.DisposeAsync();
            try
            {
                File.Delete(SocketPath);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>A lifetime that leaves process signals alone: the database router owns this server.</summary>
    private sealed class OwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
