using PaperBot.AI.Plugins;

namespace PaperBot.AI.Orchestration;

/// <summary>
/// The state of one request (a DI scope): who asks, the papers shown and retrieved, tool rounds and the tokens
/// charged so far. The Kernel, its plugins and filters are shared; they find the turn through the Kernel's scoped
/// services (<c>kernel.GetRequiredService&lt;AnswerTurn&gt;()</c>).
/// </summary>
public sealed class AnswerTurn
{
    private readonly object _gate = new();
    private TokenUsage _charged;

    public RetrievalLog Log { get; } = new();

    public string UserId { get; set; } = PaperAssistant.SystemUser;

    public string? GuildId { get; set; }

    /// <summary>Papers a search returns to the model (lowered for the context-length retry).</summary>
    public int SearchTop { get; set; } = 6;

    /// <summary>Abstract characters per paper in tool results (lowered for the context-length retry).</summary>
    public int AbstractChars { get; set; } = 700;

    /// <summary>Model requests that asked for tools so far.</summary>
    public int ToolRounds { get; set; }

    /// <summary>Set by the trending tool when the window was empty and it fell back to the newest featured days.</summary>
    public string? TrendingNotice { get; set; }

    /// <summary>Set when the auto-function filter ended the tool loop (round cap or budget).</summary>
    public string? StoppedBecause { get; set; }

    /// <summary>Tokens already charged to the budget during the turn (per tool round).</summary>
    public TokenUsage Charged
    {
        get
        {
            lock (_gate)
            {
                return _charged;
            }
        }
    }

    public void AddCharged(TokenUsage usage)
    {
        lock (_gate)
        {
            _charged += usage;
        }
    }
}
