using System.Diagnostics.CodeAnalysis;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Services;
using PaperBot.AI.Llm;

namespace PaperBot.AI.Orchestration;

/// <summary>
/// SK's service selection for prompt functions: the chat service of the model named in the execution settings
/// (<see cref="PromptExecutionSettings.ModelId"/>), taken from <see cref="ChatBackend"/>, which builds one per model.
/// This is how per-command models reach the one DI Kernel without a Kernel per call.
/// </summary>
public sealed class ChatBackendServiceSelector(ChatBackend backend) : IAIServiceSelector
{
    public bool TrySelectAIService<T>(Microsoft.SemanticKernel.Kernel kernel, KernelFunction function, KernelArguments arguments, [NotNullWhen(true)] out T? service, out PromptExecutionSettings? serviceSettings)
        where T : class, IAIService
    {
        service = null;
        serviceSettings = arguments.ExecutionSettings?.Values.FirstOrDefault();
        if (typeof(T) != typeof(IChatCompletionService) || serviceSettings?.ModelId is not { } model || backend.Service(model) is not T s)
        {
            return false;
        }

        service = s;
        return true;
    }
}
