using System.Reflection;
using PaperBot.Testing.FakeDiscord;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace PaperBot.Testing.Xunit;

/// <summary>
/// xUnit test framework that prints the fake Discord's counts once, after every test of the assembly has run:
/// <c>discord-spec: N requests validated, M violations</c>. It is sent as an xUnit diagnostic message, which `dotnet test`
/// shows (the test project's xunit.runner.json sets "diagnosticMessages": true). Use it with
/// <c>[assembly: TestFramework("PaperBot.Testing.Xunit.DiscordSpecReportingFramework", "PaperBot.Testing")]</c>.
/// </summary>
public sealed class DiscordSpecReportingFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName)
        => new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new Runner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class Runner(ITestAssembly testAssembly, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnosticMessageSink, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
        protected override async Task<RunSummary> RunTestCollectionsAsync(IMessageBus messageBus, CancellationTokenSource cancellationTokenSource)
        {
            var summary = await base.RunTestCollectionsAsync(messageBus, cancellationTokenSource);
            DiagnosticMessageSink.OnMessage(new DiagnosticMessage(DiscordSpecReport.Line + "; " + DiscordSpecReport.GatewayLine));
            foreach (var sample in DiscordSpecReport.Violations + DiscordSpecReport.GatewayViolations > 0 ? DiscordSpecReport.ViolationSamples : [])
            {
                DiagnosticMessageSink.OnMessage(new DiagnosticMessage("  discord-spec violation: " + sample));
            }

            return summary;
        }
    }
}
