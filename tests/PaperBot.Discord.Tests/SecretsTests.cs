using Microsoft.Extensions.DependencyInjection;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Rest;

namespace PaperBot.Discord.Tests;

public class SecretsTests
{
    [Fact]
    public async Task Bot_and_interaction_tokens_never_reach_the_logs()
    {
        await using var h = await Harness.StartAsync(services: s => s.AddSingleton<Seen>().AddSlashCommandHandler<CrashAfterDeferCommand>().AddSlashCommandHandler<PaperCommand>());
        h.StartGateway();
        await h.WaitForReadyAsync();

        // REST success, 5xx retry, 401, 429, gateway resume and reconnect, interaction flows with errors
        await h.Rest.CreateMessageAsync(1, MessageBuilder.Text("x"));
        h.Fake.Rest.FailNext("messages.create", 500);
        await h.Rest.CreateMessageAsync(1, MessageBuilder.Text("y"));
        h.Fake.Rest.FailNext("messages.create", 401);
        await Assert.ThrowsAsync<DiscordRestException>(() => h.Rest.CreateMessageAsync(1, MessageBuilder.Text("z")));
        h.Fake.Rest.RateLimitNext("messages.create", TimeSpan.FromMilliseconds(20));
        await h.Rest.CreateMessageAsync(1, MessageBuilder.Text("w"));
        var i1 = await h.Fake.Interactions.SlashCommandAsync("slowcrash");
        await GatewayBasicsTests.WaitFor(() => !i1.Followups.IsEmpty);
        var i2 = await h.Fake.Interactions.SlashCommandAsync("paper");
        await GatewayBasicsTests.WaitFor(() => i2.OriginalMessage?["content"]?.GetValue<string>() is { Length: > 0 } c && c.StartsWith("results", StringComparison.Ordinal));
        await Assert.ThrowsAsync<DiscordRestException>(() => h.Rest.EditOriginalResponseAsync("not-a-real-token-XYZ", MessageBuilder.Text("x")));
        h.Fake.Gateway.DropConnection();
        await h.Fake.Gateway.WaitUntilAsync(g => g.ResumeCount == 1 && g.IsConnected);
        await h.Fake.Gateway.InvalidateSessionAsync(resumable: false);

        var logs = h.Logs.All;
        Assert.Contains("Gateway READY", logs);
        Assert.Contains("401", logs);
        Assert.DoesNotContain(h.Fake.Options.Token, logs);
        Assert.DoesNotContain(i1.Token, logs);
        Assert.DoesNotContain(i2.Token, logs);
        Assert.DoesNotContain("not-a-real-token-XYZ", logs);
        Assert.DoesNotContain(h.Fake.Options.Token, h.Gateway.ToString());
    }
}
