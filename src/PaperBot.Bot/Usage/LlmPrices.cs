using Microsoft.Extensions.Options;

namespace PaperBot.Bot.Usage;

/// <summary>The price of one model in US dollars per million tokens.</summary>
public sealed class ModelPrice
{
    public decimal InputPerMTok { get; set; }

    public decimal OutputPerMTok { get; set; }
}

/// <summary>
/// "Llm:Prices" section: model name → price, e.g. <c>Llm:Prices:gpt-4o-mini:InputPerMTok = 0.15</c> (environment:
/// <c>PAPERBOT_Llm__Prices__gpt-4o-mini__InputPerMTok</c>). A ':' in a model name cannot be part of a key; write it as
/// '_' ("llama3.1:8b" → "llama3.1_8b"). Only used to estimate the cost shown by /usage and `paperbot usage`.
/// </summary>
public sealed class LlmPrices : Dictionary<string, ModelPrice>
{
    public const string SectionName = "Llm:Prices";

    public LlmPrices()
        : base(StringComparer.OrdinalIgnoreCase)
    {
    }

    /// <summary>The price of <paramref name="model"/> (':' matched as '_'), or null when the table has none.</summary>
    public ModelPrice? For(string? model) =>
        string.IsNullOrWhiteSpace(model) ? null : TryGetValue(model, out var p) || TryGetValue(model.Replace(':', '_'), out p) ? p : null;
}

/// <summary>Prices must not be negative.</summary>
public sealed class LlmPricesValidation : IValidateOptions<LlmPrices>
{
    public ValidateOptionsResult Validate(string? name, LlmPrices options)
    {
        var bad = options.Where(kv => kv.Value.InputPerMTok < 0 || kv.Value.OutputPerMTok < 0).Select(kv => kv.Key).ToList();
        return bad.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Llm:Prices:{bad[0]}: InputPerMTok and OutputPerMTok must be 0 or more (US dollars per million tokens)");
    }
}
