using System.Globalization;
using System.Text;

namespace PaperBot.Cli;

/// <summary>A plain aligned text table for human CLI output (numbers right-aligned, long cells cut with "…").</summary>
public sealed class TextTable
{
    private readonly List<ColumnSpec> _columns = [];
    private readonly List<string[]> _rows = [];

    public TextTable Column(string header, bool rightAlign = false, int maxWidth = 0)
    {
        _columns.Add(new ColumnSpec(header, rightAlign, maxWidth));
        return this;
    }

    public TextTable Row(params object?[] cells)
    {
        if (cells.Length != _columns.Count)
        {
            throw new ArgumentException($"expected {_columns.Count} cells, got {cells.Length}", nameof(cells));
        }

        _rows.Add(cells.Select((c, i) => Cut(Format(c), _columns[i].MaxWidth)).ToArray());
        return this;
    }

    public int Count => _rows.Count;

    public override string ToString()
    {
        var widths = _columns.Select((c, i) => Math.Max(c.Header.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        var sb = new StringBuilder();
        Append(sb, _columns.Select(c => c.Header).ToArray(), widths);
        Append(sb, widths.Select(w => new string('-', w)).ToArray(), widths);
        foreach (var r in _rows)
        {
            Append(sb, r, widths);
        }

        return sb.ToString();
    }

    private void Append(StringBuilder sb, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            var last = i == cells.Length - 1;
            var cell = _columns[i].RightAlign ? cells[i].PadLeft(widths[i]) : last ? cells[i] : cells[i].PadRight(widths[i]);
            sb.Append(cell);
            if (!last)
            {
                sb.Append("  ");
            }
        }

        sb.Append('\n');
    }

    private static string Format(object? v) => v switch
    {
        null => "",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        float f => f.ToString("0.000", CultureInfo.InvariantCulture),
        double d => d.ToString("0.000", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    private static string Cut(string s, int max)
    {
        s = s.ReplaceLineEndings(" ");
        return max > 1 && s.Length > max ? s[..(max - 1)].TrimEnd() + "…" : s;
    }

    private sealed record ColumnSpec(string Header, bool RightAlign, int MaxWidth);
}
