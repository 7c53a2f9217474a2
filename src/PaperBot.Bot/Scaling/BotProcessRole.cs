namespace PaperBot.Bot.Scaling;

/// <summary>
/// What this process does. `paperbot run` is a gateway process (a shard: gateway connection plus its guilds' scheduled
/// work); `paperbot serve-interactions` is an interactions-only process: it answers slash commands and buttons over HTTP
/// and runs no gateway connection and no scheduled work (the shards do that). Set once by the verb before the host starts.
/// </summary>
public sealed class BotProcessRole
{
    public bool InteractionsOnly { get; private set; }

    public void UseInteractionsOnly() => InteractionsOnly = true;
}
