using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using PaperBot.AI.Budget;
using PaperBot.AI.Configuration;

namespace PaperBot.AI.Orchestration;

/// <summary>
/// Bounds SK's automatic tool loop: each model response that asks for tools is one round, charged to the user's and
/// the guild's token budget as it happens (not after the turn). Past <see cref="LlmOptions.MaxToolRounds"/> rounds, or
/// once the budget is used up, the loop is terminated and the turn is answered from what was retrieved so far.
/// </summary>
public sealed class ToolRoundFilter(TokenBudget budget, UsageEstimator usage, IOptions<LlmOptions> options, ILogger<ToolRoundFilter> logger) : IAutoFunctionInvocationFilter
{
    public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        var turn = context.Kernel.GetRequiredService<AnswerTurn>();
        if (context.FunctionSequenceIndex == 0)
        {
            // The first function of a response: a new round. Charge the response that asked for it.
            turn.ToolRounds++;
            var spent = usage.Of(context.ChatMessageContent, context.ChatHistory);
            turn.AddCharged(spent);
            if (turn.UserId != PaperAssistant.SystemUser)
            {
                budget.Record(turn.UserId, turn.GuildId, spent);
            }
        }

        var max = options.Value.MaxToolRounds;
        if (turn.ToolRounds > max)
        {
            turn.StoppedBecause ??= $"the model kept calling tools (more than {max} rounds)";
        }
        else if (turn.UserId != PaperAssistant.SystemUser && budget.CheckExceeded(turn.UserId, turn.GuildId) is { } exceeded)
        {
            turn.StoppedBecause ??= exceeded;
        }

        if (turn.StoppedBecause is not null)
        {
            logger.LogInformation("tool loop ended after {Rounds} round(s): {Reason}", turn.ToolRounds, turn.StoppedBecause);
            context.Terminate = true;
            return;
        }

        await next(context).ConfigureAwait(false);
    }
}
