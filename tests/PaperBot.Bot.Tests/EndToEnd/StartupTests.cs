using PaperBot.Cli.Commands;
using PaperBot.Testing.FakeDiscord;

namespace PaperBot.Bot.Tests.EndToEnd;

public sealed class StartupTests
{
    [Fact]
    public async Task Missing_token_and_application_id_fail_start_up_with_what_to_set()
    {
        await using var h = await BotHarness.CreateAsync();
        h.With("Discord:Token", null).With("Discord:ApplicationId", null);
        var (exit, stderr) = await h.RunToExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(3, exit);
        Assert.Contains("PAPERBOT_Discord__Token", stderr);
        Assert.Contains("Discord:ApplicationId is required; set PAPERBOT_Discord__ApplicationId", stderr);
        Assert.Equal(0, h.Discord.Gateway.ConnectionCount);
        Assert.DoesNotContain("   at ", stderr); // a message, not a stack trace
        Assert.False(File.Exists(h.DbPath));     // settings are checked before the database is touched
    }

    [Fact]
    public async Task Message_content_intent_not_enabled_is_fatal_with_a_clear_message()
    {
        await using var h = await BotHarness.CreateAsync(discordOptions: new FakeDiscordOptions { AllowMessageContentIntent = false });
        var (exit, stderr) = await h.RunToExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(RunCommand.FatalGatewayExitCode, exit);
        Assert.Contains("4014", stderr);
        Assert.Contains("enable the Message Content intent", stderr);
        Assert.Equal(1, h.Discord.Gateway.IdentifyCount); // no reconnect loop
        Assert.DoesNotContain(h.Discord.Options.Token, stderr);
    }
}
