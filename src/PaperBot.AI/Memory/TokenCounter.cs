using Microsoft.ML.Tokenizers;

namespace PaperBot.AI.Memory;

/// <summary>Counts tokens with the o200k_base vocabulary (GPT-4o family), shipped in the O200kBase package (no download).</summary>
public sealed class TokenCounter
{
    private readonly Lazy<Tokenizer> _tokenizer = new(() => TiktokenTokenizer.CreateForModel("gpt-4o"));

    public int Count(string text) => string.IsNullOrEmpty(text) ? 0 : _tokenizer.Value.CountTokens(text);
}
