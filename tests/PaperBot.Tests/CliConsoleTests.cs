using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PaperBot.AI;
using PaperBot.Cli;
using PaperBot.Core.Papers;
using PaperBot.Core.Progress;
using PaperBot.Hosting;

namespace PaperBot.Tests;

/// <summary>Spectre.Console output: the plain layout off a terminal, progress bars and the `run` status line on one.</summary>
public sealed class CliConsoleTests
{
    [Fact]
    public async Task Plain_tables_have_a_dashed_rule_two_space_columns_and_no_trailing_spaces()
    {
        var o = new StringWriter();
        var console = new CliConsole(o, new StringWriter());
        Assert.False(console.IsInteractive);
        var table = CliConsole.Table(("#", true), ("title", false), ("upvotes", true));
        table.Row(1, "A [bracketed] title", 7).Row(10, "B", null);
        await console.WriteAsync(table);
        Assert.Equal(
            " #  title                upvotes\n" +
            "--  -------------------  -------\n" +
            " 1  A [bracketed] title        7\n" +
            "10  B\n",
            o.ToString());
    }

    [Fact]
    public async Task Terminal_tables_are_framed()
    {
        var o = new StringWriter();
        var console = new CliConsole(o, new StringWriter(), interactive: true);
        await console.WriteAsync(CliConsole.Table(("id", false)).Row("x"));
        Assert.Contains("╭", o.ToString());
        Assert.Contains("│ x  │", o.ToString());
    }

    [Fact]
    public async Task Progress_is_skipped_off_a_terminal_and_drawn_on_one()
    {
        var plainErr = new StringWriter();
        IProgress<WorkProgress>? seen = new Progress<WorkProgress>();
        var n = await CliProgress.RunAsync(new CliConsole(new StringWriter(), plainErr), true, "papers", p =>
        {
            seen = p;
            return Task.FromResult(42);
        });
        Assert.Equal(42, n);
        Assert.Null(seen);
        Assert.Equal("", plainErr.ToString());

        var err = new StringWriter();
        var terminal = new CliConsole(new StringWriter(), err, interactive: true);
        var result = await CliProgress.Run(terminal, true, "papers", p =>
        {
            Assert.NotNull(p);
            for (var i = 0; i <= 100; i += 10)
            {
                p.Report(new WorkProgress("embedding", i, 100));
            }

            p.Report(new WorkProgress("second stage", 1, 2));
            return "done";
        });
        Assert.Equal("done", result);
        Assert.Matches(@"second stage.*: 50%", err.ToString()); // Spectre's renderer for a console without cursor control

        // Disabled (--no-progress / --json): no sink even on a terminal.
        IProgress<WorkProgress>? disabled = new Progress<WorkProgress>();
        await CliProgress.RunAsync(terminal, false, "papers", p =>
        {
            disabled = p;
            return Task.FromResult(0);
        });
        Assert.Null(disabled);
    }

    [Fact]
    public async Task Run_status_counts_guilds_from_gateway_events_and_answers_per_utc_day()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 23, 59, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IPaperAssistant, CannedAssistant>();
        services.AddRunStatus();
        await using var sp = services.BuildServiceProvider();
        var status = sp.GetRequiredService<RunStatus>();
        var tracker = sp.GetServices<PaperBot.Discord.Gateway.IRawGatewayEventHandler>().OfType<RunStatusGuildTracker>().Single();

        await tracker.HandleAsync("READY", 1, Json("""{"guilds":[{"id":"1","unavailable":true},{"id":"2","unavailable":true}]}"""), default);
        await tracker.HandleAsync("GUILD_CREATE", 2, Json("""{"id":"3"}"""), default);
        await tracker.HandleAsync("GUILD_DELETE", 3, Json("""{"id":"1","unavailable":true}"""), default); // outage: kept
        await tracker.HandleAsync("GUILD_DELETE", 4, Json("""{"id":"2"}"""), default); // removed
        Assert.Equal(2, status.Guilds);

        var assistant = sp.GetRequiredService<IPaperAssistant>();
        await assistant.AskAsync(new AskRequest { ConversationKey = "k", UserId = "u", Question = "q1" });
        await assistant.AskAsync(new AskRequest { ConversationKey = "k", UserId = "u", Question = "q2" });
        await assistant.SummarizeAsync(["x"], SummaryStyle.Tldr); // not a question
        await Assert.ThrowsAsync<InvalidOperationException>(() => assistant.AskAsync(new AskRequest { ConversationKey = "k", UserId = "u", Question = "fail" }));
        Assert.Equal(2, status.AnsweredToday);
        Assert.Equal("gateway Disconnected · 2 guilds · 2 questions answered today", status.Describe());

        time.Advance(TimeSpan.FromMinutes(2)); // past UTC midnight
        Assert.Equal(0, status.AnsweredToday);
    }

    private static System.Text.Json.JsonElement Json(string s) => System.Text.Json.JsonDocument.Parse(s).RootElement.Clone();

    private sealed class CannedAssistant : IPaperAssistant
    {
        private static readonly AssistantAnswer Answer = new() { Markdown = "ok", Backend = "test" };

        public Task<AssistantAnswer> AskAsync(AskRequest request, CancellationToken cancellationToken = default) =>
            request.Question == "fail" ? throw new InvalidOperationException("boom") : Task.FromResult(Answer);

        public Task<AssistantAnswer> SummarizeAsync(IReadOnlyList<string> paperIds, SummaryStyle style, RequestContext? context = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(Answer);

        public Task<AssistantAnswer> CompareAsync(IReadOnlyList<string> paperIds, IReadOnlyList<string>? aspects = null, RequestContext? context = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(Answer);

        public Task<DigestLines> DigestLinesAsync(IReadOnlyList<Paper> papers, RequestContext? context = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new DigestLines([], false, null, default));
    }
}
