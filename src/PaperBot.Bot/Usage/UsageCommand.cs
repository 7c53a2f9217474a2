using System.Globalization;
using PaperBot.Bot.Commands;
using PaperBot.Bot.Formatting;
using PaperBot.Bot.Permissions;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Models;
using static PaperBot.Bot.Commands.CommandOptions;

namespace PaperBot.Bot.Usage;

/// <summary>
/// /usage (ephemeral): your LLM tokens today and this month against the daily budget, with an estimated cost; members
/// with Manage Server also see the server's.
/// </summary>
public sealed class UsageCommand(UsageReport report) : ISlashCommand
{
    public ApplicationCommand Definition { get; } = Command("usage", "Your (and for admins, this server's) AI token use and cost");

    public ResponseMode Mode => ResponseMode.Immediate;

    public bool Costly => false;

    public Task<CommandReply> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var embed = new EmbedBuilder().WithTitle("AI usage (UTC)").WithColor(PaperEmbeds.Color);
        AddFields(embed, "You", report.For(UsageReport.UserScope, context.UserKey));
        var admin = context.Interaction.Member is { } member && PermissionCheck.CanManageServer(member.Permissions);
        if (context.GuildKey is { } guild && admin)
        {
            AddFields(embed, "This server", report.For(UsageReport.GuildScope, guild));
        }

        embed.WithFooter(report.PriceNote().Replace("`", "", StringComparison.Ordinal));
        return Task.FromResult(CommandReply.Of(new MessageBuilder().AddEmbed(embed).AsEphemeral()));
    }

    private static void AddFields(EmbedBuilder embed, string who, UsageSummary s)
    {
        string[] today = [UsageReport.AgainstBudget(s.Day.Total, s.DailyBudget), UsageReport.Bar(s.Day.Total, s.DailyBudget), UsageReport.Detail(s.Day), UsageReport.Money(s.DayCost) ?? ""];
        embed.AddField($"{who}: today", string.Join("\n", today.Where(l => l.Length > 0)), inline: true);
        string[] month =
        [
            s.Month.Total.ToString("N0", CultureInfo.InvariantCulture) + " tokens",
            s.MonthCap > 0 ? $"the daily budget allows at most {s.MonthCap.ToString("N0", CultureInfo.InvariantCulture)}" : "",
            UsageReport.Detail(s.Month),
            UsageReport.Money(s.MonthCost) ?? "",
        ];
        embed.AddField($"{who}: {s.Today.ToString("MMMM", CultureInfo.InvariantCulture)}", string.Join("\n", month.Where(l => l.Length > 0)), inline: true);
    }
}
