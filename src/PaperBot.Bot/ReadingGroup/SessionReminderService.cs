using Microsoft.Extensions.Logging;

namespace PaperBot.Bot.ReadingGroup;

/// <summary>Hosted service: posts due reminders on start (catch-up after downtime), then at each reminder's due time or when a session changes.</summary>
public sealed class SessionReminderService(SessionReminders reminders, ReadingSessions sessions, TimeProvider time, ILogger<SessionReminderService> logger)
    : DueCheckService(time, logger)
{
    protected override string What => "Reminder";

    protected override Task RunDueAsync(CancellationToken ct) => reminders.RunDueAsync(ct);

    protected override TimeSpan DelayUntilNextCheck() => reminders.DelayUntilNextCheck();

    protected override bool AnyDue() => reminders.AnyDue();

    protected override void Watch(Action wake, bool subscribe)
    {
        if (subscribe)
        {
            sessions.Changed += wake;
        }
        else
        {
            sessions.Changed -= wake;
        }
    }
}
