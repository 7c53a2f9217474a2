using PaperBot.Cli.Commands;

namespace PaperBot.Cli;

/// <summary>
/// The one list of verbs. To add a verb: write Commands/XxxCommand.cs (its <c>Define()</c> declares the syntax, its
/// <c>ExecuteAsync</c> does the work) and add one line here. Sub-verbs go in a <see cref="CliVerb.Group"/>.
/// </summary>
public static class CliVerbs
{
    public static IEnumerable<CliVerb> All() =>
    [
        VersionCommand.Define(),
        DemoCommand.Define(),
        IngestCommand.Define(),
        SearchCommand.Define(),
        ShowCommand.Define(),
        RelatedCommand.Define(),
        TrendingCommand.Define(),
        CiteCommand.Define(),
        UsageCommand.Define(),
        AskCommand.Define(),
        EmbedCommand.Define(),
        StatsCommand.Define(),
        ExportCommand.Define(),
        RemoveCommand.Define(),
        BackupCommand.Define(),
        ReindexCommand.Define(),
        RepairCommand.Define(),
        MigrateCommand.Define(),
        CliVerb.Group("eval", "Evaluate retrieval and answer quality.", EvalBeirCommand.Define(), EvalQuestionsCommand.Define(), EvalAnswersCommand.Define()),
        CliVerb.Group("bench", "Benchmarks.", BenchSearchCommand.Define(), BenchJsonlCommand.Define(), BenchAskCommand.Define()),
        RunCommand.Define(),
        ServeInteractionsCommand.Define(),
        CompletionCommand.Define(),
    ];
}
