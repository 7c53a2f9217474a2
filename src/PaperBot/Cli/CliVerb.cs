using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;

namespace PaperBot.Cli;

/// <summary>
/// One verb's logic: a class constructed from DI with the services it needs, given its already parsed and
/// validated input. It never sees the command line.
/// </summary>
public interface ICliCommand<in TInput>
{
    Task<int> ExecuteAsync(TInput input, CancellationToken cancellationToken);
}

/// <summary>
/// A verb's syntax (System.CommandLine arguments and options) bound to the class that runs it. Declaring a verb costs
/// no service: --help, completion and usage errors never build the host, open the database or load the AI stack.
/// </summary>
public sealed class CliVerb
{
    private readonly Func<ParseResult, object?>? _bind;
    private readonly Func<IServiceProvider, object?, CancellationToken, Task<int>>? _run;

    private CliVerb(string name, string description, IReadOnlyList<Symbol> symbols, Func<ParseResult, object?>? bind,
        Func<IServiceProvider, object?, CancellationToken, Task<int>>? run, bool usesHost, IReadOnlyList<CliVerb> children)
    {
        Name = name;
        Description = description;
        Symbols = symbols;
        _bind = bind;
        _run = run;
        UsesHost = usesHost;
        Children = children;
    }

    public string Name { get; }

    public string Description { get; }

    public IReadOnlyList<Symbol> Symbols { get; }

    /// <summary>False for verbs that need only the console (version, benchmarks): no configuration, no host.</summary>
    public bool UsesHost { get; }

    public IReadOnlyList<CliVerb> Children { get; }

    /// <summary>
    /// A verb run by <typeparamref name="TCommand"/> (created with its constructor's services). <paramref name="bind"/>
    /// turns the parse result into the input; it may throw <see cref="CliUsageException"/> for checks across options.
    /// </summary>
    public static CliVerb For<TCommand, TInput>(string name, string description, IReadOnlyList<Symbol> symbols, Func<ParseResult, TInput> bind, bool usesHost = true)
        where TCommand : class, ICliCommand<TInput> =>
        new(name, description, symbols, r => bind(r), (services, input, ct) =>
            ActivatorUtilities.CreateInstance<TCommand>(services).ExecuteAsync((TInput)input!, ct), usesHost, []);

    /// <summary>A verb that only groups sub-verbs ("eval beir", "bench search").</summary>
    public static CliVerb Group(string name, string description, params CliVerb[] children) =>
        new(name, description, [], null, null, false, children);

    internal object? Bind(ParseResult result) => _bind!(result);

    internal Task<int> RunAsync(IServiceProvider services, object? input, CancellationToken ct) => _run!(services, input, ct);

    internal bool IsGroup => _run is null;
}

/// <summary>A usage error found after parsing (e.g. --from after --to): printed as "error: …", exit code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);

/// <summary>An error whose message is meant for the user as is (no stack trace), exit code 1.</summary>
public class UserFacingException(string message, Exception? inner = null) : Exception(message, inner);
