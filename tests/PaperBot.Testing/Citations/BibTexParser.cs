using System.Text;

namespace PaperBot.Testing.Citations;

/// <summary>One parsed entry: type and key as written, fields by lower-case name (values with their delimiters removed and
/// macros expanded, LaTeX left as is).</summary>
public sealed record BibEntry(string Type, string Key, IReadOnlyDictionary<string, string> Fields, int Line);

/// <summary>A parse error with its 1-based line.</summary>
public sealed record BibError(int Line, string Message)
{
    public override string ToString() => $"line {Line}: {Message}";
}

/// <summary>
/// A small BibTeX parser written for the tests from the format's rules (Patashnik's "BibTeXing" and the btparse grammar),
/// sharing no code with PaperBot's writer: text outside entries is a comment; an entry is
/// <c>@type{key, name = value, …}</c> or with parentheses; a value is parts joined by <c>#</c>, each a braced string
/// (braces balanced), a quoted string (braces balanced, no bare quote at depth 0), a number or a macro defined by
/// <c>@string</c> or the month abbreviations; <c>@comment</c>, <c>@preamble</c> and <c>@string</c> are understood.
/// Errors: unbalanced braces, a missing key, '=', ',' or closing delimiter, an undefined macro, a duplicate key or field,
/// and characters BibTeX does not allow in keys and field names. It stops at nothing: every error is collected.
/// </summary>
public sealed class BibTexParser
{
    private static readonly string[] MonthMacros = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    private readonly string _text;
    private readonly List<BibError> _errors = [];
    private readonly List<BibEntry> _entries = [];
    private readonly Dictionary<string, string> _macros = new(StringComparer.OrdinalIgnoreCase);
    private int _pos;

    private BibTexParser(string text)
    {
        _text = text;
        for (var i = 0; i < MonthMacros.Length; i++)
        {
            _macros[MonthMacros[i]] = System.Globalization.CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(i + 1);
        }
    }

    public IReadOnlyList<BibEntry> Entries => _entries;

    public IReadOnlyList<BibError> Errors => _errors;

    public static BibTexParser Parse(string text)
    {
        var p = new BibTexParser(text);
        p.Run();
        return p;
    }

    private void Run()
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            var at = _text.IndexOf('@', _pos);
            if (at < 0)
            {
                return;
            }

            _pos = at + 1;
            var line = LineAt(at);
            var type = Identifier();
            if (type.Length == 0)
            {
                Error(line, "an '@' not followed by an entry type");
                continue;
            }

            SkipSpace();
            if (_pos >= _text.Length || (_text[_pos] != '{' && _text[_pos] != '('))
            {
                Error(line, $"@{type} is not followed by '{{' or '('");
                continue;
            }

            var close = _text[_pos] == '{' ? '}' : ')';
            _pos++;
            switch (type.ToLowerInvariant())
            {
                case "comment":
                    _pos--;
                    SkipBalanced(line);
                    break;
                case "preamble":
                    SkipSpace();
                    Value(line);
                    Expect(close, line, "@preamble");
                    break;
                case "string":
                    SkipSpace();
                    var name = Identifier();
                    SkipSpace();
                    if (name.Length == 0 || !Take('='))
                    {
                        Error(line, "@string needs name = value");
                        Recover(close);
                        break;
                    }

                    SkipSpace();
                    _macros[name] = Value(line) ?? "";
                    Expect(close, line, "@string");
                    break;
                default:
                    Entry(type, close, line, keys);
                    break;
            }
        }
    }

    private void Entry(string type, char close, int line, HashSet<string> keys)
    {
        SkipSpace();
        var start = _pos;
        while (_pos < _text.Length && _text[_pos] is not (',' or '}' or ')') && !char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }

        var key = _text[start.._pos];
        if (key.Length == 0)
        {
            Error(line, $"@{type} has no citation key");
        }
        else if (key.IndexOfAny(['{', '"', '#', '%', '\'', '(', '=', '~', '\\']) >= 0)
        {
            Error(line, $"key '{key}' has characters BibTeX does not allow in a key");
        }
        else if (!keys.Add(key))
        {
            Error(line, $"duplicate key '{key}'");
        }

        SkipSpace();
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Take(close))
        {
            _entries.Add(new BibEntry(type, key, fields, line));
            return;
        }

        if (!Take(','))
        {
            Error(line, $"'{key}': a ',' must follow the key");
            Recover(close);
            return;
        }

        while (true)
        {
            SkipSpace();
            if (Take(close))
            {
                break; // a trailing comma before the end is allowed
            }

            if (_pos >= _text.Length)
            {
                Error(line, $"'{key}': the entry is not closed");
                break;
            }

            var fieldLine = LineAt(_pos);
            var name = Identifier();
            if (name.Length == 0)
            {
                Error(fieldLine, $"'{key}': expected a field name at '{Peek()}'");
                Recover(close);
                break;
            }

            SkipSpace();
            if (!Take('='))
            {
                Error(fieldLine, $"'{key}': field '{name}' has no '='");
                Recover(close);
                break;
            }

            SkipSpace();
            var value = Value(fieldLine);
            if (value is null)
            {
                Recover(close);
                break;
            }

            if (!fields.TryAdd(name.ToLowerInvariant(), value))
            {
                Error(fieldLine, $"'{key}': duplicate field '{name}'");
            }

            SkipSpace();
            if (Take(','))
            {
                continue;
            }

            if (Take(close))
            {
                break;
            }

            Error(fieldLine, $"'{key}': expected ',' or the end of the entry after field '{name}', found '{Peek()}'");
            Recover(close);
            break;
        }

        _entries.Add(new BibEntry(type, key, fields, line));
    }

    /// <summary>part (# part)*; null after an error.</summary>
    private string? Value(int line)
    {
        var sb = new StringBuilder();
        while (true)
        {
            SkipSpace();
            if (_pos >= _text.Length)
            {
                Error(line, "a value is missing");
                return null;
            }

            var c = _text[_pos];
            if (c == '{')
            {
                var inner = SkipBalanced(line);
                if (inner is null)
                {
                    return null;
                }

                sb.Append(inner);
            }
            else if (c == '"')
            {
                _pos++;
                var start = _pos;
                var depth = 0;
                while (_pos < _text.Length && !(_text[_pos] == '"' && depth == 0))
                {
                    depth += _text[_pos] == '{' ? 1 : _text[_pos] == '}' ? -1 : 0;
                    if (depth < 0)
                    {
                        Error(line, "a '}' closes nothing inside a quoted value");
                        return null;
                    }

                    _pos++;
                }

                if (_pos >= _text.Length)
                {
                    Error(line, "a quoted value is not closed");
                    return null;
                }

                sb.Append(_text, start, _pos - start);
                _pos++;
            }
            else if (char.IsAsciiDigit(c))
            {
                var start = _pos;
                while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
                {
                    _pos++;
                }

                sb.Append(_text, start, _pos - start);
            }
            else
            {
                var macro = Identifier();
                if (macro.Length == 0)
                {
                    Error(line, $"expected a value, found '{c}'");
                    return null;
                }

                if (!_macros.TryGetValue(macro, out var expansion))
                {
                    Error(line, $"undefined macro '{macro}'");
                    expansion = "";
                }

                sb.Append(expansion);
            }

            SkipSpace();
            if (!Take('#'))
            {
                return sb.ToString();
            }
        }
    }

    /// <summary>At a '{': returns the text inside the balanced braces and moves past them; null (and an error) when unbalanced.</summary>
    private string? SkipBalanced(int line)
    {
        var start = _pos + 1;
        var depth = 0;
        for (; _pos < _text.Length; _pos++)
        {
            if (_text[_pos] == '{')
            {
                depth++;
            }
            else if (_text[_pos] == '}' && --depth == 0)
            {
                _pos++;
                return _text[start..(_pos - 1)];
            }
        }

        Error(line, "unbalanced braces: a '{' is never closed");
        return null;
    }

    /// <summary>Field names, types and macros: letters, digits and a few symbols, not starting with a digit.</summary>
    private string Identifier()
    {
        var start = _pos;
        while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] is '_' or '-' or ':' or '.' or '+' or '/' or '*' or '!' or '?' or '&' or ';' or '<' or '>' or '[' or ']' or '|' or '^' or '`'))
        {
            _pos++;
        }

        var id = _text[start.._pos];
        if (id.Length > 0 && char.IsAsciiDigit(id[0]))
        {
            _pos = start;
            return "";
        }

        return id;
    }

    private void Expect(char close, int line, string what)
    {
        SkipSpace();
        if (!Take(close))
        {
            Error(line, $"{what} is not closed with '{close}'");
            Recover(close);
        }
    }

    /// <summary>After an error: skip to the next '@' at line start, so one bad entry does not hide the next.</summary>
    private void Recover(char close)
    {
        var next = _text.IndexOf("\n@", Math.Max(0, _pos - 1), StringComparison.Ordinal);
        _pos = next < 0 ? _text.Length : next + 1;
    }

    private bool Take(char c)
    {
        if (_pos < _text.Length && _text[_pos] == c)
        {
            _pos++;
            return true;
        }

        return false;
    }

    private string Peek() => _pos < _text.Length ? _text[_pos].ToString() : "end of input";

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    private int LineAt(int index) => 1 + _text.AsSpan(0, Math.Min(index, _text.Length)).Count('\n');

    private void Error(int line, string message) => _errors.Add(new BibError(line, message));
}

/// <summary>Reads field values back to plain text, for comparing with the source data.</summary>
public static class BibTexText
{
    /// <summary>Undoes LaTeX escapes of special characters and removes grouping braces: "{LoRA} \&amp; R\_2" → "LoRA &amp; R_2".
    /// (BibTeX counts every brace, escaped or not, so literal braces must be written \textbraceleft{} and \textbraceright{}.)</summary>
    public static string ToPlain(string value)
    {
        var s = value
            .Replace(@"\textbackslash{}", "\u0001", StringComparison.Ordinal)
            .Replace(@"\textasciitilde{}", "~", StringComparison.Ordinal)
            .Replace(@"\textbraceleft{}", "\u0002", StringComparison.Ordinal)
            .Replace(@"\textbraceright{}", "\u0003", StringComparison.Ordinal)
            .Replace(@"\textasciicircum{}", "^", StringComparison.Ordinal);
        var sb = new StringBuilder();
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\\' && i + 1 < s.Length && s[i + 1] is '{' or '}' or '&' or '%' or '$' or '#' or '_')
            {
                sb.Append(s[++i]);
            }
            else if (c is not ('{' or '}'))
            {
                sb.Append(c);
            }
        }

        return System.Text.RegularExpressions.Regex.Replace(sb.ToString().Replace('\u0001', '\\').Replace('\u0002', '{').Replace('\u0003', '}'), @"\s+", " ").Trim();
    }

    /// <summary>Splits an author field at " and " outside braces.</summary>
    public static IReadOnlyList<string> Names(string authorField)
    {
        var names = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < authorField.Length; i++)
        {
            depth += authorField[i] == '{' ? 1 : authorField[i] == '}' ? -1 : 0;
            if (depth == 0 && string.Compare(authorField, i, " and ", 0, 5, StringComparison.OrdinalIgnoreCase) == 0)
            {
                names.Add(authorField[start..i].Trim());
                start = i + 5;
                i += 4;
            }
        }

        names.Add(authorField[start..].Trim());
        return names.Where(n => n.Length > 0).ToList();
    }

    /// <summary>"Family, Given" or "Family, Jr, Given" → "Given Family Jr"; a name without a comma as is (braces removed).</summary>
    public static string GivenFirst(string name)
    {
        var parts = SplitTopLevelCommas(name);
        var plain = parts.Select(ToPlain).ToList();
        return plain.Count switch
        {
            1 => plain[0],
            2 => plain[1] + " " + plain[0],
            _ => plain[2] + " " + plain[0] + " " + plain[1],
        };
    }

    private static List<string> SplitTopLevelCommas(string name)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < name.Length; i++)
        {
            depth += name[i] == '{' ? 1 : name[i] == '}' ? -1 : 0;
            if (depth == 0 && name[i] == ',')
            {
                parts.Add(name[start..i].Trim());
                start = i + 1;
            }
        }

        parts.Add(name[start..].Trim());
        return parts;
    }
}
