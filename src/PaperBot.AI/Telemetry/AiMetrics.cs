using System.Diagnostics.Metrics;

namespace PaperBot.AI.Telemetry;

/// <summary>
/// The AI module's instruments on the "PaperBot" meter: LLM calls (one per answer, summary, comparison or digest line
/// set) by command and outcome, tokens by direction, fallbacks to the offline answer by reason, and embedding calls.
/// </summary>
public sealed class AiMetrics
{
    public const string MeterName = "PaperBot";

    private readonly Counter<long> _llmCalls;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _fallbacks;
    private readonly Counter<long> _embeddingCalls;
    private readonly Counter<long> _embeddedTexts;

    public AiMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _llmCalls = meter.CreateCounter<long>("paperbot.llm.calls", "{call}", "LLM requests of a command, by command and outcome (ok, failed, over_budget, offline)");
        _tokens = meter.CreateCounter<long>("paperbot.ai.tokens", "{token}", "Tokens used, by kind (llm, embeddings) and direction (input, output)");
        _fallbacks = meter.CreateCounter<long>("paperbot.llm.fallbacks", "{answer}", "Answers given offline instead of by the LLM, by reason (unavailable, over_budget, tool_loop)");
        _embeddingCalls = meter.CreateCounter<long>("paperbot.embeddings.calls", "{call}", "Embedding generator calls, by kind (documents, query)");
        _embeddedTexts = meter.CreateCounter<long>("paperbot.embeddings.texts", "{text}", "Texts embedded, by kind (documents, query)");
    }

    public void LlmCall(string command, string outcome) =>
        _llmCalls.Add(1, new KeyValuePair<string, object?>("command", command), new KeyValuePair<string, object?>("outcome", outcome));

    public void Tokens(string kind, long input, long output)
    {
        var k = new KeyValuePair<string, object?>("kind", kind);
        _tokens.Add(input, k, new KeyValuePair<string, object?>("direction", "input"));
        _tokens.Add(output, k, new KeyValuePair<string, object?>("direction", "output"));
    }

    public void Fallback(string reason) => _fallbacks.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Embedded(string kind, int texts)
    {
        _embeddingCalls.Add(1, new KeyValuePair<string, object?>("kind", kind));
        _embeddedTexts.Add(texts, new KeyValuePair<string, object?>("kind", kind));
    }
}
