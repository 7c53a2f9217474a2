using Microsoft.SemanticKernel;
using PaperBot.AI.Plugins;

namespace PaperBot.AI.Orchestration;

/// <summary>
/// Records, after each paper tool call completes, the papers it returned as retrieved in the turn's
/// <see cref="RetrievalLog"/>. The citation post-check accepts only these (and the papers given from the conversation).
/// </summary>
public sealed class RetrievalRecordingFilter : IFunctionInvocationFilter
{
    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        await next(context).ConfigureAwait(false);
        if (context.Function.PluginName != PaperPlugins.PluginName)
        {
            return;
        }

        var ids = context.Result.GetValue<object>() switch
        {
            IEnumerable<PaperBrief> briefs => briefs.Select(b => b.Id),
            PaperBrief brief => [brief.Id],
            SummaryResult summary => summary.Papers.Select(p => p.Id),
            CompareResult compare => compare.Papers.Select(p => p.Id),
            _ => [],
        };
        context.Kernel.GetRequiredService<AnswerTurn>().Log.MarkRetrieved(ids.ToList());
    }
}
