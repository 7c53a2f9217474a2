using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Commands;
using PaperBot.Discord.Interactions;
using PaperBot.Discord.Models;
using PaperBot.Discord.Rest;
using PaperBot.Testing.FakeDiscord;

namespace PaperBot.Discord.Tests;

public class CommandValidationTests
{
    private static ApplicationCommandOption Str(string name, bool required = false) => new() { Type = ApplicationCommandOptionType.String, Name = name, Description = "d", Required = required ? true : null };

    private static ApplicationCommand Cmd(params ApplicationCommandOption[] options) => new() { Name = "paper", Description = "Find papers", Options = [.. options] };

    private static string Single(ApplicationCommand c) => Assert.Single(ApplicationCommandValidator.Validate([c]));

    [Fact]
    public void A_valid_definition_has_no_errors() => Assert.Empty(ApplicationCommandValidator.Validate([Cmd(Str("query", required: true), Str("sort"))]));

    [Fact]
    public void Choice_values_must_match_the_option_type()
    {
        var o = Str("sort");
        o.Choices = [ApplicationCommandOptionChoice.String("Newest", "new"), ApplicationCommandOptionChoice.Integer("Top", 1)];
        Assert.Contains("options[0].choices[1].value: a string option's choice needs a string value", Single(Cmd(o)));
        var n = new ApplicationCommandOption { Type = ApplicationCommandOptionType.Integer, Name = "n", Description = "d", Choices = [ApplicationCommandOptionChoice.String("one", "1")] };
        Assert.Contains("an integer option's choice needs a whole number", Single(Cmd(n)));
    }

    [Fact]
    public void At_most_25_choices_and_not_together_with_autocomplete()
    {
        var o = Str("sort");
        o.Choices = Enumerable.Range(0, 26).Select(i => ApplicationCommandOptionChoice.String("c" + i, "v" + i)).ToList();
        Assert.Contains("26 choices", Single(Cmd(o)));
        var a = Str("sort");
        a.Autocomplete = true;
        a.Choices = [ApplicationCommandOptionChoice.String("x", "x")];
        Assert.Contains("autocomplete cannot be used together with choices", Single(Cmd(a)));
    }

    [Fact]
    public void Required_options_come_before_optional_ones() => Assert.Contains("comes after an optional one", Single(Cmd(Str("a"), Str("b", required: true))));

    [Theory]
    [InlineData("Paper")]
    [InlineData("two words")]
    [InlineData("")]
    [InlineData("a-name-that-is-far-too-long-for-discord")]
    public void Names_follow_Discords_rules(string name) => Assert.Contains("name", Single(new ApplicationCommand { Name = name, Description = "d" }));

    [Fact]
    public void Nesting_rules_and_option_counts()
    {
        var inner = new ApplicationCommandOption { Type = ApplicationCommandOptionType.SubCommand, Name = "inner", Description = "d" };
        var sub = new ApplicationCommandOption { Type = ApplicationCommandOptionType.SubCommand, Name = "sub", Description = "d", Options = [inner] };
        Assert.Contains(ApplicationCommandValidator.Validate([Cmd(sub)]), e => e.Contains("cannot contain sub-commands", StringComparison.Ordinal));
        Assert.Contains("cannot be mixed", Single(Cmd(new ApplicationCommandOption { Type = ApplicationCommandOptionType.SubCommand, Name = "s", Description = "d" }, Str("q"))));
        Assert.Contains("26 options", Single(Cmd(Enumerable.Range(0, 26).Select(i => Str("o" + i)).ToArray())));
    }

    [Fact]
    public void The_total_size_limit_and_permission_digits_are_checked()
    {
        var big = Enumerable.Range(0, 25).Select(i =>
        {
            var o = Str("o" + i);
            o.Description = new string('d', 100);
            o.Choices = Enumerable.Range(0, 2).Select(j => ApplicationCommandOptionChoice.String(new string('n', 60) + j, "v")).ToList();
            return o;
        }).ToArray();
        Assert.Contains("add up to", Single(Cmd(big)));
        var c = Cmd();
        c.DefaultMemberPermissions = "0x20";
        Assert.Contains("decimal digits", Single(c));
    }

    [Fact]
    public async Task The_client_refuses_an_invalid_overwrite_before_sending_it()
    {
        await using var h = await Harness.StartAsync();
        var o = Str("sort");
        o.Choices = [ApplicationCommandOptionChoice.Integer("Top", 1)];
        var ex = await Assert.ThrowsAsync<DiscordLimitException>(() => h.Rest.BulkOverwriteGlobalCommandsAsync([Cmd(o)]));
        Assert.Contains("50035", ex.Message);
        Assert.Empty(h.Fake.Rest.RequestsTo("commands.global"));
    }
}

public class CommandRegistrarTests
{
    private static ApplicationCommand Help(string description = "Lists the commands") => new() { Name = "help", Description = description };

    [Fact]
    public async Task Unchanged_commands_are_not_put_again_and_a_change_is()
    {
        await using var h = await Harness.StartAsync();
        var registrar = h.Services.GetRequiredService<ApplicationCommandRegistrar>();
        Assert.Equal(CommandRegistrationOutcome.Registered, await registrar.RegisterAsync([Help()], 77, CancellationToken.None));
        Assert.Equal(CommandRegistrationOutcome.Unchanged, await registrar.RegisterAsync([Help()], 77, CancellationToken.None));
        Assert.Single(h.Fake.Rest.RequestsTo("commands.guild"));
        Assert.Equal(CommandRegistrationOutcome.Registered, await registrar.RegisterAsync([Help("Lists every command")], 77, CancellationToken.None));
        Assert.Equal(CommandRegistrationOutcome.Registered, await registrar.RegisterAsync([Help()], null, CancellationToken.None)); // other scope
        Assert.Equal(2, h.Fake.Rest.RequestsTo("commands.guild").Count());
        Assert.Single(h.Fake.Rest.RequestsTo("commands.global"));
    }

    [Fact]
    public async Task A_50035_answer_logs_the_field_errors_and_nothing_is_stored()
    {
        await using var h = await Harness.StartAsync();
        var registrar = h.Services.GetRequiredService<ApplicationCommandRegistrar>();
        h.Fake.Rest.FailNext("commands.global", 400, DiscordSpec.FormError([new SpecError("/0/options/1/choices/1/value", "BASE_TYPE_BAD_TYPE", "Must be a string.")]));
        var ex = await Assert.ThrowsAsync<DiscordRestException>(() => registrar.RegisterAsync([Help()], null, CancellationToken.None));
        Assert.Equal(["0.options.1.choices.1.value: BASE_TYPE_BAD_TYPE Must be a string."], ex.FieldErrors);
        Assert.Contains("0.options.1.choices.1.value: BASE_TYPE_BAD_TYPE Must be a string.", h.Logs.All);
        Assert.Equal(CommandRegistrationOutcome.Registered, await registrar.RegisterAsync([Help()], null, CancellationToken.None)); // retried next time
    }
}

public class BucketSweepTests
{
    public sealed class Quick : ISlashCommandHandler
    {
        public string CommandName => "q";

        public async Task HandleAsync(InteractionContext context)
        {
            await context.DeferAsync();
            await context.FinishAsync(MessageBuilder.Text("done"));
        }
    }

    /// <summary>Scaled-down version of the discord-soak benchmark: every interaction adds a callback and a webhook bucket.</summary>
    [Fact]
    public async Task Buckets_stay_bounded_over_a_simulated_day_of_interactions()
    {
        var time = Harness.NewTime();
        await using var h = await Harness.StartAsync(time, services: s => s.AddSlashCommandHandler<Quick>(), fake: f => f.CloseOnMissedHeartbeats = false);
        h.StartGateway();
        await h.WaitForReadyAsync();
        const int count = 600;
        var step = TimeSpan.FromDays(1) / count;
        var peak = 0;
        for (var i = 0; i < count; i++)
        {
            var interaction = await h.Fake.Interactions.SlashCommandAsync("q");
            await GatewayBasicsTests.WaitFor(() => interaction.OriginalMessage?["content"]?.GetValue<string>() == "done");
            peak = Math.Max(peak, h.Limits.BucketCount);
            time.Advance(step);
        }

        h.Limits.SweepNow();
        Assert.True(h.Limits.EvictedBucketCount > count, $"evicted {h.Limits.EvictedBucketCount}");
        Assert.InRange(h.Limits.BucketCount, 0, 10);
        Assert.InRange(peak, 0, 60); // 5 min idle time / 144 s per interaction: a handful of live buckets at any time
        Assert.InRange(h.Limits.RouteHashCount, 1, 10);
        Assert.Equal(0, h.Fake.Rest.BucketViolations);
    }
}
