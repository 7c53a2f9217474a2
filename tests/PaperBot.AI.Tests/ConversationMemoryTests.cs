using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PaperBot.AI.Configuration;
using PaperBot.AI.Memory;
using PaperBot.AI.Tests.Support;

namespace PaperBot.AI.Tests;

public sealed class ConversationMemoryTests
{
    private static readonly TokenCounter Tokens = new();

    [Fact]
    public void Counts_tokens_with_the_o200k_vocabulary_offline()
    {
        Assert.Equal(0, Tokens.Count(""));
        Assert.InRange(Tokens.Count("Speculative decoding drafts tokens with a small model."), 8, 14);
    }

    [Fact]
    public void Keeps_the_newest_turns_within_the_token_bound_and_persists_them()
    {
        var store = new InMemoryRecordStore<ConversationRecord>();
        var options = Options.Create(new LlmOptions { MemoryTokens = 60 });
        var time = new FakeTimeProvider(AiTestHost.Now);
        var memory = new ConversationMemory(store, Tokens, options, time);
        for (var i = 1; i <= 6; i++)
        {
            memory.Append("chan", $"question number {i} about diffusion models", $"answer {i} with a few more words in it [1]", [$"2401.0000{i}"]);
            time.Advance(TimeSpan.FromMinutes(1));
        }

        var turns = memory.Recent("chan");
        Assert.InRange(turns.Count, 1, 5);
        Assert.True(turns.Sum(t => t.Tokens) <= 60);
        Assert.Equal("question number 6 about diffusion models", turns[^1].Question);
        Assert.Equal(["2401.00006"], memory.LastCited("chan"));
        Assert.Equal(AiTestHost.Now.AddMinutes(5), turns[^1].At);

        // A new instance over the same store (a restart) sees the same memory; other keys are separate.
        var again = new ConversationMemory(store, Tokens, options, time);
        Assert.Equal(turns.Select(t => t.Question), again.Recent("chan").Select(t => t.Question));
        Assert.Empty(again.Recent("other"));
    }

    [Fact]
    public void A_single_turn_larger_than_the_bound_is_still_kept()
    {
        var memory = new ConversationMemory(new InMemoryRecordStore<ConversationRecord>(), Tokens, Options.Create(new LlmOptions { MemoryTokens = 5 }), TimeProvider.System);
        memory.Append("k", "a rather long question that has many tokens in it", "and a long answer too", ["x"]);
        memory.Append("k", "second long question with many many tokens", "second answer", ["y"]);
        Assert.Equal(["y"], Assert.Single(memory.Recent("k")).CitedIds);
    }
}
