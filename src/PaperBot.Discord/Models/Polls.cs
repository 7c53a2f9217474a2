using System.Text.Json.Serialization;

namespace PaperBot.Discord.Models;

/// <summary>Text (and optional emoji) of a poll question or answer.</summary>
public sealed class PollMedia
{
    [JsonPropertyName("text")] public string? Text { get; set; }
    [JsonPropertyName("emoji")] public PartialEmoji? Emoji { get; set; }
}

public sealed class PollAnswer
{
    /// <summary>1-based id Discord assigns (absent in a create request).</summary>
    [JsonPropertyName("answer_id")] public int? AnswerId { get; set; }
    [JsonPropertyName("poll_media")] public PollMedia PollMedia { get; set; } = new();
}

/// <summary>
/// The <c>poll</c> object of a message create request. Build with <see cref="Create"/>, which enforces Discord's limits:
/// question 1-300 characters, 1-10 answers of 1-55 characters, duration 1-768 hours (32 days).
/// </summary>
public sealed class PollRequest
{
    public const int QuestionMax = 300;
    public const int AnswerMax = 55;
    public const int AnswersMax = 10;
    public const int DurationHoursMax = 768;

    [JsonPropertyName("question")] public PollMedia Question { get; init; } = new();
    [JsonPropertyName("answers")] public IReadOnlyList<PollAnswer> Answers { get; init; } = [];
    [JsonPropertyName("duration")] public int Duration { get; init; }
    [JsonPropertyName("allow_multiselect")] public bool AllowMultiselect { get; init; }

    /// <summary>1 = DEFAULT, the only layout.</summary>
    [JsonPropertyName("layout_type")] public int LayoutType { get; init; } = 1;

    public static PollRequest Create(string question, IReadOnlyList<string> answers, int durationHours, bool allowMultiselect = false)
    {
        if (string.IsNullOrWhiteSpace(question) || question.Length > QuestionMax)
        {
            throw new DiscordLimitException($"A poll question needs 1 to {QuestionMax} characters, got {question?.Length ?? 0}.");
        }

        if (answers.Count is 0 or > AnswersMax)
        {
            throw new DiscordLimitException($"A poll has 1 to {AnswersMax} answers, got {answers.Count}.");
        }

        if (answers.FirstOrDefault(a => string.IsNullOrWhiteSpace(a) || a.Length > AnswerMax) is { } bad)
        {
            throw new DiscordLimitException($"A poll answer needs 1 to {AnswerMax} characters, got {bad.Length}.");
        }

        if (durationHours is < 1 or > DurationHoursMax)
        {
            throw new DiscordLimitException($"A poll lasts 1 to {DurationHoursMax} hours, got {durationHours}.");
        }

        return new PollRequest
        {
            Question = new PollMedia { Text = question },
            Answers = answers.Select(a => new PollAnswer { PollMedia = new PollMedia { Text = a } }).ToList(),
            Duration = durationHours,
            AllowMultiselect = allowMultiselect,
        };
    }
}

public sealed class PollAnswerCount
{
    [JsonPropertyName("id")] public int Id { get; set; }
    [JsonPropertyName("count")] public int Count { get; set; }
    [JsonPropertyName("me_voted")] public bool MeVoted { get; set; }
}

public sealed class PollResults
{
    /// <summary>True once the poll has ended and Discord has counted the votes precisely.</summary>
    [JsonPropertyName("is_finalized")] public bool IsFinalized { get; set; }
    [JsonPropertyName("answer_counts")] public List<PollAnswerCount> AnswerCounts { get; set; } = [];
}

/// <summary>A message's poll as Discord returns it.</summary>
public sealed class Poll
{
    [JsonPropertyName("question")] public PollMedia Question { get; set; } = new();
    [JsonPropertyName("answers")] public List<PollAnswer> Answers { get; set; } = [];
    [JsonPropertyName("expiry")] public DateTimeOffset? Expiry { get; set; }
    [JsonPropertyName("allow_multiselect")] public bool AllowMultiselect { get; set; }
    [JsonPropertyName("results")] public PollResults? Results { get; set; }
}

/// <summary>GET /channels/{c}/polls/{m}/answers/{a}: the users who voted for an answer (one page).</summary>
public sealed class PollAnswerVoters
{
    [JsonPropertyName("users")] public List<User> Users { get; set; } = [];
}

/// <summary>MESSAGE_POLL_VOTE_ADD / MESSAGE_POLL_VOTE_REMOVE (GUILD_MESSAGE_POLLS intent): who voted for which answer.</summary>
public abstract class MessagePollVoteEvent
{
    [JsonPropertyName("user_id")] public ulong UserId { get; set; }
    [JsonPropertyName("channel_id")] public ulong ChannelId { get; set; }
    [JsonPropertyName("message_id")] public ulong MessageId { get; set; }
    [JsonPropertyName("guild_id")] public ulong? GuildId { get; set; }
    [JsonPropertyName("answer_id")] public int AnswerId { get; set; }
}

/// <summary>MESSAGE_POLL_VOTE_ADD.</summary>
public sealed class MessagePollVoteAddEvent : MessagePollVoteEvent
{
}

/// <summary>MESSAGE_POLL_VOTE_REMOVE.</summary>
public sealed class MessagePollVoteRemoveEvent : MessagePollVoteEvent
{
}

/// <summary>MESSAGE_UPDATE dispatch: an edited message (a poll's final results arrive this way).</summary>
public sealed class MessageUpdateEvent : Message
{
}
