using Microsoft.Extensions.Options;
using PaperBot.AI.Configuration;
using PaperBot.Core.Persistence;

namespace PaperBot.AI.Memory;

/// <summary>A stored conversation: the most recent turns that fit the token bound.</summary>
public sealed class ConversationRecord
{
    public List<ConversationTurn> Turns { get; set; } = [];
}

public sealed class ConversationTurn
{
    public string Question { get; set; } = "";

    public string Answer { get; set; } = "";

    /// <summary>Paper ids cited by the answer, in citation-number order ([1] first).</summary>
    public List<string> CitedIds { get; set; } = [];

    public DateTimeOffset At { get; set; }

    public int Tokens { get; set; }
}

/// <summary>Per-conversation memory (channel, thread or DM key) persisted via <see cref="IRecordStore{T}"/>, bounded by tokens.</summary>
public sealed class ConversationMemory(IRecordStore<ConversationRecord> store, TokenCounter tokens, IOptions<LlmOptions> options, TimeProvider time)
{
    private readonly object _gate = new();

    public IReadOnlyList<ConversationTurn> Recent(string conversationKey)
    {
        lock (_gate)
        {
            return store.Get(conversationKey)?.Turns ?? [];
        }
    }

    /// <summary>Papers cited in the previous turn (what "the first two" / "that one" refer to).</summary>
    public IReadOnlyList<string> LastCited(string conversationKey) =>
        Recent(conversationKey).LastOrDefault(t => t.CitedIds.Count > 0)?.CitedIds ?? [];

    public void Append(string conversationKey, string question, string answer, IEnumerable<string> citedIds)
    {
        var turn = new ConversationTurn
        {
            Question = question,
            Answer = answer,
            CitedIds = citedIds.ToList(),
            At = time.GetUtcNow(),
            Tokens = tokens.Count(question) + tokens.Count(answer),
        };
        lock (_gate)
        {
            var record = store.Get(conversationKey) ?? new ConversationRecord();
            record.Turns.Add(turn);
            Trim(record.Turns, options.Value.MemoryTokens);
            store.Put(conversationKey, record);
        }
    }

    public void Clear(string conversationKey)
    {
        lock (_gate)
        {
            store.Delete(conversationKey);
        }
    }

    /// <summary>Drops the oldest turns until the total fits <paramref name="maxTokens"/>; the newest turn is always kept.</summary>
    internal static void Trim(List<ConversationTurn> turns, int maxTokens)
    {
        var total = turns.Sum(t => (long)t.Tokens);
        while (turns.Count > 1 && total > maxTokens)
        {
            total -= turns[0].Tokens;
            turns.RemoveAt(0);
        }
    }
}
