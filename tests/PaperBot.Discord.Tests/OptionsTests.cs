using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PaperBot.Discord.Tests;

public class OptionsTests
{
    private static OptionsValidationException? Validate(Dictionary<string, string?> settings)
    {
        var sc = new ServiceCollection();
        sc.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        sc.AddLogging();
        sc.AddDiscordClient();
        using var sp = sc.BuildServiceProvider();
        try
        {
            _ = sp.GetRequiredService<IOptions<DiscordOptions>>().Value;
            return null;
        }
        catch (OptionsValidationException ex)
        {
            return ex;
        }
    }

    [Fact]
    public void Missing_token_tells_the_user_what_to_set()
    {
        var ex = Validate([]);
        Assert.NotNull(ex);
        Assert.Contains("PAPERBOT_Discord__Token", ex.Message);
    }

    [Fact]
    public void Shard_and_token_format_are_validated()
    {
        Assert.Contains("ShardCount", Validate(new() { ["Discord:Token"] = "abc", ["Discord:ShardId"] = "0" })!.Message);
        Assert.Contains("less than", Validate(new() { ["Discord:Token"] = "abc", ["Discord:ShardId"] = "2", ["Discord:ShardCount"] = "2" })!.Message);
        Assert.Contains("without a 'Bot ' prefix", Validate(new() { ["Discord:Token"] = "Bot abc" })!.Message);
        Assert.Contains("ApiBaseUrl", Validate(new() { ["Discord:Token"] = "abc", ["Discord:ApiBaseUrl"] = "not a url" })!.Message);
        Assert.Null(Validate(new() { ["Discord:Token"] = "abc", ["Discord:Intents"] = "Guilds, GuildMessages" }));
    }

    [Fact]
    public void ToString_never_contains_the_token()
    {
        var o = new DiscordOptions { Token = "super-secret-token" };
        Assert.DoesNotContain("super-secret-token", o.ToString());
    }
}
