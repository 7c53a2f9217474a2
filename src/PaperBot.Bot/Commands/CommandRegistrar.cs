using Microsoft.Extensions.Options;
using PaperBot.Bot.Options;
using PaperBot.Discord.Commands;
using PaperBot.Discord.Models;

namespace PaperBot.Bot.Commands;

/// <summary>
/// Registers every slash command with one bulk overwrite: on the dev guild in Development mode (instant), globally in
/// Production. Overwriting (not creating one by one) also removes commands that no longer exist. The definitions are
/// validated first, and the PUT is skipped when they hash the same as the last successful registration, which is stored
/// in the database (<see cref="RecordStoreCommandRegistrationStateStore"/>), so a restart does not register again.
/// </summary>
public sealed class CommandRegistrar(IEnumerable<ISlashCommand> commands, ApplicationCommandRegistrar registrar, IOptions<BotOptions> options)
{
    private readonly TaskCompletionSource<CommandRegistrationOutcome> _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _started;

    /// <summary>The definitions sent in the bulk overwrite.</summary>
    public IReadOnlyList<ApplicationCommand> Definitions => commands.Select(c => c.Definition).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();

    /// <summary>Completes with the outcome of the first successful registration of this process.</summary>
    public Task<CommandRegistrationOutcome> Completed => _completed.Task;

    /// <summary>True the first time only: registration runs once per process (READY also follows re-identifies).</summary>
    public bool TryBegin() => Interlocked.Exchange(ref _started, 1) == 0;

    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        try
        {
            var o = options.Value;
            var guild = o.Mode == BotMode.Development ? o.DevGuildId : null;
            _completed.TrySetResult(await registrar.RegisterAsync(Definitions, guild, cancellationToken));
        }
        catch
        {
            Interlocked.Exchange(ref _started, 0); // the next READY tries again
            throw;
        }
    }
}

/// <summary>The hash of the last registered command set, per scope, in <c>IRecordStore&lt;CommandRegistrationRecord&gt;</c>.</summary>
public sealed class CommandRegistrationRecord
{
    public string Scope { get; set; } = "";

    public string Hash { get; set; } = "";
}

/// <summary><see cref="ICommandRegistrationStateStore"/> on the bot's database, so unchanged commands are not registered again after a restart.</summary>
public sealed class RecordStoreCommandRegistrationStateStore(PaperBot.Core.Persistence.IRecordStore<CommandRegistrationRecord> store) : ICommandRegistrationStateStore
{
    public string? GetHash(string scope) => store.Get(scope)?.Hash;

    public void SetHash(string scope, string hash) => store.Put(scope, new CommandRegistrationRecord { Scope = scope, Hash = hash });
}
