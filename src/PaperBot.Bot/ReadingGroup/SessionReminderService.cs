using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PaperBot.Bot.ReadingGroup;

/// <summary>Hosted service: checks on start (catch-up after downtime), then wakes at each reminder's due time or when a session changes.</summary>
public sealed class SessionReminderService(
    SessionReminders reminders,
    ReadingSessions sessions,
    TimeProvider time,
    ILogger<SessionReminderService> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        sessions.Changed += Wake;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await reminders.RunDueAsync(stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "Reminder check failed; retrying at the next check");
                }

                await BackgroundWake.SleepAsync(reminders.DelayUntilNextCheck(), _wake, time, reminders.AnyDue, stoppingToken);
            }
        }
        finally
        {
            sessions.Changed -= Wake;
        }
    }

    private void Wake() => BackgroundWake.Signal(_wake);

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
