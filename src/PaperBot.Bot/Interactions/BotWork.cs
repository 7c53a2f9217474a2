using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaperBot.Bot.Telemetry;

namespace PaperBot.Bot.Interactions;

/// <summary>
/// Runs event handling off the gateway loop (so a slow LLM answer never delays the next interaction's deferral) and
/// keeps track of it: on shutdown in-flight work is cancelled and awaited. A failing task is logged, never rethrown.
/// </summary>
public sealed class BotWork : IHostedService, IDisposable
{
    private readonly ILogger<BotWork> logger;

    public BotWork(ILogger<BotWork> logger, BotMetrics? metrics = null)
    {
        this.logger = logger;
        metrics?.ObserveWorkQueue(() => InFlight);
    }

    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<int, Task> _running = new();
    private int _next;

    public int InFlight => _running.Count;

    /// <summary>Starts <paramref name="work"/> on the thread pool; the token is cancelled when the host stops.</summary>
    public void Run(string what, Func<CancellationToken, Task> work)
    {
        var id = Interlocked.Increment(ref _next);
        var task = Task.Run(async () =>
        {
            try
            {
                await work(_stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Unhandled error in {What}", what);
            }
            finally
            {
                _running.TryRemove(id, out _);
            }
        });
        _running.TryAdd(id, task);
        if (task.IsCompleted)
        {
            _running.TryRemove(id, out _);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        var all = _running.Values.ToArray();
        await Task.WhenAll(all).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ContinueWith(
            static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public void Dispose() => _stopping.Dispose();
}
