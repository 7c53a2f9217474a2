using Microsoft.Extensions.Logging;
using PaperBot.Bot.ReadingGroup;

namespace PaperBot.Bot.Polls;

/// <summary>Hosted service: on start (catch-up after downtime) and after each poll's expiry, announces polls whose result event was missed.</summary>
public sealed class PollWatcherService(PaperPolls polls, TimeProvider time, ILogger<PollWatcherService> logger) : DueCheckService(time, logger)
{
    protected override string What => "Poll";

    protected override Task RunDueAsync(CancellationToken ct) => polls.RunDueAsync(ct);

    protected override TimeSpan DelayUntilNextCheck() => polls.DelayUntilNextCheck();

    protected override bool AnyDue() => polls.AnyDue();

    protected override void Watch(Action wake, bool subscribe)
    {
        if (subscribe)
        {
            polls.Changed += wake;
        }
        else
        {
            polls.Changed -= wake;
        }
    }
}
