namespace PaperBot.Cli;

/// <summary>One CLI verb (one class per command), registered in DI and dispatched by <see cref="CliApp"/>.</summary>
public interface ICliCommand
{
    /// <summary>The verb, e.g. "search". Multi-word verbs ("eval beir", "bench search") use a space.</summary>
    string Name { get; }

    string Summary { get; }

    string Usage { get; }

    Task<int> ExecuteAsync(CliArgs args, CancellationToken cancellationToken);
}
