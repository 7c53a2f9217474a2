using PaperBot.Cli;

namespace PaperBot.Tests;

public sealed class CliTests
{
    [Fact]
    public async Task Unknown_command_fails_with_message_on_stderr()
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(["frobnicate"], o, e);
        Assert.Equal(2, code);
        Assert.Contains("unknown command 'frobnicate'", e.ToString());
        Assert.Equal("", o.ToString());
    }

    [Fact]
    public async Task Version_prints_name()
    {
        var o = new StringWriter();
        var code = await CliApp.RunAsync(["version"], o, new StringWriter());
        Assert.Equal(0, code);
        Assert.StartsWith("paperbot ", o.ToString());
    }

    [Fact]
    public async Task Unknown_option_is_rejected()
    {
        var e = new StringWriter();
        var code = await CliApp.RunAsync(["version", "--bogus", "1"], new StringWriter(), e);
        Assert.Equal(2, code);
        Assert.Contains("unknown option --bogus", e.ToString());
    }
}
