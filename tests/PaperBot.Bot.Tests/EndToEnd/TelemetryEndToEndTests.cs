using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Telemetry;
using PaperBot.Testing.FakeDiscord;
using Xunit.Abstractions;

namespace PaperBot.Bot.Tests.EndToEnd;

/// <summary>Runs alone: the "PaperBot" meter is process-wide, so another host in the same process would add to the counts.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "telemetry (not parallel)";
}

[Collection(TelemetryCollection.Name)]
public sealed partial class TelemetryEndToEndTests(ITestOutputHelper output)
{
    private const int Interactions = 20;

    [Fact]
    public async Task Readyz_is_503_until_READY_then_200_and_metrics_count_20_interactions()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = await BotHarness.CreateAsync(discordOptions: new FakeDiscordOptions { HoldReadyUntil = hold.Task });
        h.Seed(BotTestPapers.All);
        h.With("Telemetry:Enabled", "true").With("Telemetry:Urls", "http://127.0.0.1:0");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Uri? address = null;
        string before = "";

        await using var bot = await h.StartBotAsync(async services =>
        {
            address = services.GetRequiredService<TelemetryEndpoint>().Address;
            Assert.NotNull(address);
            Assert.True(IPAddress.IsLoopback(IPAddress.Parse(address!.Host)));
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(address, "/healthz"))).StatusCode);
            using var notReady = await http.GetAsync(new Uri(address, "/readyz"));
            before = await notReady.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            Assert.Contains("gateway: unhealthy", before);
            hold.SetResult(); // now the fake gateway sends READY
        });

        using var ready = await http.GetAsync(new Uri(address!, "/readyz"));
        var after = await ready.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("store: healthy", after);
        output.WriteLine($"/readyz before READY: 503\n{before}/readyz after READY: {(int)ready.StatusCode}\n{after}");

        for (var i = 0; i < Interactions; i++)
        {
            var search = await h.Discord.Interactions.SlashCommandAsync("search", [FakeOption.String("query", i % 2 == 0 ? "diffusion" : "speech")]);
            Assert.Equal(4, (await search.WaitForCallbackAsync(TimeSpan.FromSeconds(20))).Type);
        }

        var text = await http.GetStringAsync(new Uri(address!, "/metrics"));
        var samples = Parse(text);
        Assert.Equal(Interactions, Value(samples, "paperbot_discord_interactions_total", "type=\"command\""));
        Assert.Equal(Interactions, Value(samples, "paperbot_bot_commands_total", "command=\"/search\""));
        Assert.Equal(Interactions, Value(samples, "paperbot_discord_interaction_first_response_seconds_count", "type=\"command\""));
        Assert.Equal(Interactions, Value(samples, "paperbot_discord_gateway_events_total", "type=\"INTERACTION_CREATE\""));
        Assert.Equal(1, Value(samples, "paperbot_discord_gateway_state", "state=\"ready\""));
        Assert.Equal(0, Value(samples, "paperbot_discord_gateway_state", "state=\"connecting\""));
        Assert.True(Sum(samples, "paperbot_discord_rest_requests_total", "method=\"POST\"") >= Interactions, "a callback per interaction went through the REST client");
        Assert.True(Value(samples, "paperbot_discord_rest_buckets", "") >= 1);
        Assert.Equal(0, Value(samples, "paperbot_discord_rest_invalid_requests", ""));
        Assert.True(Value(samples, "paperbot_bot_work_queue_depth", "") >= 0);
        Assert.Contains(samples, s => s.Name.StartsWith("http_client_request_duration_seconds", StringComparison.Ordinal));

        var ours = string.Join("\n", text.Split('\n').Where(l => l.StartsWith("paperbot_", StringComparison.Ordinal) && !l.Contains("_bucket{", StringComparison.Ordinal)));
        output.WriteLine($"/metrics after {Interactions} interactions (paperbot_* samples, histogram buckets left out):\n{ours}");
        if (Environment.GetEnvironmentVariable("PAPERBOT_SCRAPE_OUT") is { Length: > 0 } file)
        {
            await File.WriteAllTextAsync(file, $"/readyz before READY: 503\n{before}/readyz after READY: {(int)ready.StatusCode}\n{after}\n{ours}\n");
        }
    }

    private sealed record Sample(string Name, string Labels, double Value);

    private static List<Sample> Parse(string text) =>
        text.Split('\n').Select(l => SampleLine().Match(l)).Where(m => m.Success)
            .Select(m => new Sample(m.Groups[1].Value, m.Groups[2].Value, double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)))
            .ToList();

    /// <summary>The one sample of <paramref name="name"/> whose labels contain <paramref name="label"/>.</summary>
    private static double Value(List<Sample> samples, string name, string label) =>
        Assert.Single(samples, s => s.Name == name && s.Labels.Contains(label, StringComparison.Ordinal)).Value;

    private static double Sum(List<Sample> samples, string name, string label) =>
        samples.Where(s => s.Name == name && s.Labels.Contains(label, StringComparison.Ordinal)).Sum(s => s.Value);

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+([-+0-9.eE]+|NaN|\+Inf)(\s+\d+)?$")]
    private static partial Regex SampleLine();
}
