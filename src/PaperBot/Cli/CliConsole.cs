using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace PaperBot.Cli;

/// <summary>
/// Where CLI verbs write (injectable, so tests capture output). On a terminal, tables, progress and the `run` status
/// line are drawn by Spectre.Console. Anything else (a pipe, a file, a test's StringWriter, or --json) gets the plain,
/// machine-readable layout: no colour, no borders, columns separated by two spaces, no trailing spaces.
/// </summary>
public sealed class CliConsole
{
    private IAnsiConsole? _out;
    private IAnsiConsole? _error;

    public CliConsole(TextWriter @out, TextWriter error, bool? interactive = null)
    {
        Out = @out;
        Error = error;
        IsInteractive = interactive ?? (ReferenceEquals(@out, Console.Out) && !Console.IsOutputRedirected && !Console.IsErrorRedirected);
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    /// <summary>True when stdout and stderr are a terminal: rich tables, progress bars and live status are drawn.</summary>
    public bool IsInteractive { get; }

    /// <summary>Spectre console on stdout (rich on a terminal, plain otherwise).</summary>
    public IAnsiConsole Rich => _out ??= Create(Out);

    /// <summary>Spectre console on stderr, for progress and status (only drawn when <see cref="IsInteractive"/>).</summary>
    public IAnsiConsole RichError => _error ??= Create(Error);

    /// <summary>A table whose columns are declared by the verb; <see cref="WriteAsync(Table)"/> picks the look.</summary>
    public static Table Table(params (string Header, bool RightAlign)[] columns)
    {
        var table = new Table();
        foreach (var (header, right) in columns)
        {
            var column = new TableColumn(new Text(header));
            table.AddColumn(right ? column.RightAligned() : column);
        }

        return table;
    }

    /// <summary>Writes a table: rounded borders on a terminal; the plain two-space layout anywhere else.</summary>
    public async Task WriteAsync(Table table)
    {
        if (IsInteractive)
        {
            table.Border(TableBorder.Rounded);
            Rich.Write(table);
            return;
        }

        table.Border(PlainBorder.Instance);
        foreach (var c in table.Columns)
        {
            c.Padding(0, 0, 0, 0);
        }

        await Out.WriteAsync(RenderPlain(table));
    }

    /// <summary>Renders to text without ANSI codes or wrapping; each line right-trimmed.</summary>
    public static string RenderPlain(IRenderable renderable)
    {
        var sw = new StringWriter(CultureInfo.InvariantCulture);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(sw),
        });
        console.Profile.Width = 100_000;
        console.Write(renderable);
        var lines = sw.ToString().ReplaceLineEndings("\n").Split('\n');
        return string.Join('\n', lines.Select(l => l.TrimEnd()));
    }

    private IAnsiConsole Create(TextWriter writer) => IsInteractive
        ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) })
        : AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });

    /// <summary>No frame: a dashed line under the headers, two spaces between columns (the CLI's plain layout).</summary>
    private sealed class PlainBorder : TableBorder
    {
        public static readonly PlainBorder Instance = new();

        public override string GetPart(TableBorderPart part) => part switch
        {
            TableBorderPart.HeaderBottom => "-",
            TableBorderPart.HeaderSeparator or TableBorderPart.HeaderBottomSeparator or TableBorderPart.CellSeparator => "  ",
            _ => "",
        };
    }
}

/// <summary>Table cells as plain text (never Spectre markup: paper titles may contain brackets).</summary>
public static class CliTableExtensions
{
    public static Table Row(this Table table, params object?[] cells)
    {
        table.AddRow(cells.Select(c => (IRenderable)new Text(Cell(c))));
        return table;
    }

    /// <summary>Invariant formatting: dates yyyy-MM-dd, scores with three decimals.</summary>
    public static string Cell(object? v) => v switch
    {
        null => "",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        float f => f.ToString("0.000", CultureInfo.InvariantCulture),
        double d => d.ToString("0.000", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => (v.ToString() ?? "").ReplaceLineEndings(" "),
    };

    /// <summary>Cuts a long cell to <paramref name="max"/> characters with "…" (plain layout keeps rows on one line).</summary>
    public static string Cut(string s, int max)
    {
        s = s.ReplaceLineEndings(" ");
        return s.Length > max ? s[..(max - 1)].TrimEnd() + "…" : s;
    }
}

/// <summary>
/// On a terminal, stderr text written by others (the console logger) goes through Spectre's console, so a progress bar
/// or the `run` status line is redrawn below it instead of being torn. Disposing restores the original stderr.
/// </summary>
public sealed class LiveStderr : TextWriter
{
    private readonly IAnsiConsole _console;
    private readonly TextWriter _original;
    private readonly System.Text.StringBuilder _line = new();
    private readonly Lock _lock = new();

    private LiveStderr(IAnsiConsole console, TextWriter original)
    {
        _console = console;
        _original = original;
    }

    public override System.Text.Encoding Encoding => _original.Encoding;

    /// <summary>Routes <see cref="Console.Error"/> through <paramref name="console"/>'s Spectre console when interactive.</summary>
    public static IDisposable? Install(CliConsole console)
    {
        if (!console.IsInteractive || Console.Error is LiveStderr)
        {
            return null;
        }

        var writer = new LiveStderr(console.RichError, Console.Error);
        Console.SetError(writer);
        return writer;
    }

    public override void Write(char value)
    {
        lock (_lock)
        {
            if (value == '\n')
            {
                _console.Write(new Text(_line.ToString().TrimEnd('\r')));
                _console.WriteLine();
                _line.Clear();
            }
            else
            {
                _line.Append(value);
            }
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? "")
        {
            Write(c);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && ReferenceEquals(Console.Error, this))
        {
            lock (_lock)
            {
                if (_line.Length > 0)
                {
                    _console.Write(new Text(_line.ToString()));
                    _console.WriteLine();
                    _line.Clear();
                }
            }

            Console.SetError(_original);
        }

        base.Dispose(disposing);
    }
}
