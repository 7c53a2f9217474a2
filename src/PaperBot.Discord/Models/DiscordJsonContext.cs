using System.Text.Json;
using System.Text.Json.Serialization;

namespace PaperBot.Discord.Models;

/// <summary>Source-generated serializer metadata for every Discord payload; snowflakes go through <see cref="SnowflakeConverter"/>.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(SnowflakeConverter)])]
[JsonSerializable(typeof(GatewayPayload))]
[JsonSerializable(typeof(HelloData))]
[JsonSerializable(typeof(IdentifyData))]
[JsonSerializable(typeof(ResumeData))]
[JsonSerializable(typeof(PresenceUpdateData))]
[JsonSerializable(typeof(ReadyEvent))]
[JsonSerializable(typeof(ResumedEvent))]
[JsonSerializable(typeof(GuildCreateEvent))]
[JsonSerializable(typeof(MessageCreateEvent))]
[JsonSerializable(typeof(InteractionCreateEvent))]
[JsonSerializable(typeof(Message))]
[JsonSerializable(typeof(Interaction))]
[JsonSerializable(typeof(Channel))]
[JsonSerializable(typeof(Application))]
[JsonSerializable(typeof(GatewayBotInfo))]
[JsonSerializable(typeof(DiscordErrorBody))]
[JsonSerializable(typeof(MessagePayload))]
[JsonSerializable(typeof(InteractionCallbackPayload))]
[JsonSerializable(typeof(InteractionCallbackResponse))]
[JsonSerializable(typeof(MessageReactionAddEvent))]
[JsonSerializable(typeof(MessageReactionRemoveEvent))]
[JsonSerializable(typeof(MessageReactionRemoveAllEvent))]
[JsonSerializable(typeof(MessageReactionRemoveEmojiEvent))]
[JsonSerializable(typeof(StartThreadRequest))]
[JsonSerializable(typeof(CreateForumThreadRequest))]
[JsonSerializable(typeof(CreateScheduledEventRequest))]
[JsonSerializable(typeof(GuildScheduledEvent))]
[JsonSerializable(typeof(List<GuildScheduledEvent>))]
[JsonSerializable(typeof(List<ScheduledEventUser>))]
[JsonSerializable(typeof(List<Message>))]
[JsonSerializable(typeof(PollAnswerVoters))]
[JsonSerializable(typeof(MessageUpdateEvent))]
[JsonSerializable(typeof(MessagePollVoteAddEvent))]
[JsonSerializable(typeof(MessagePollVoteRemoveEvent))]
[JsonSerializable(typeof(CreateDmRequest))]
[JsonSerializable(typeof(List<ApplicationCommand>))]
[JsonSerializable(typeof(ApplicationCommand))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int?))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class DiscordJsonContext : JsonSerializerContext
{
}
