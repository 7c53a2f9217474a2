using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.SemanticKernel;
using PaperBot.AI.Plugins;

namespace PaperBot.AI.Orchestration;

/// <summary>
/// Normalises the arguments real models send to the paper tools before SK binds them: reference numbers from this
/// conversation ("ids": [1, 2], "[3]", "ref 2") become paper ids; a comma-separated string or a bare value becomes a
/// list; numbers sent as strings or floats ("5", 5.0) become integers; a list sent for a text parameter is joined; and
/// fields the tool does not declare are dropped. Without this, SK's binding fails on such calls and the model sees an
/// error instead of papers.
/// </summary>
public sealed partial class ToolArgumentFilter : IFunctionInvocationFilter
{
    private static readonly HashSet<string> IntParameters = new(StringComparer.Ordinal) { "top", "days", "min_upvotes" };

    [GeneratedRegex(@"^\s*(?:\[\s*)?(?:ref(?:erence)?\.?\s*|#\s*|paper\s+)?(?<n>\d{1,3})(?:\s*\])?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RefToken();

    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        if (context.Function.PluginName == PaperPlugins.PluginName)
        {
            Normalize(context.Function, context.Arguments, context.Kernel.GetRequiredService<AnswerTurn>().Log);
        }

        await next(context).ConfigureAwait(false);
    }

    public static void Normalize(KernelFunction function, KernelArguments arguments, RetrievalLog log)
    {
        var declared = function.Metadata.Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var name in arguments.Names.ToList())
        {
            if (!declared.TryGetValue(name, out var parameter))
            {
                // Models add fields of their own ("reason", "limit", "format"); SK would ignore or reject them.
                arguments.Remove(name);
                continue;
            }

            var value = arguments[name];
            if (parameter.ParameterType == typeof(string[]))
            {
                arguments[name] = Tokens(value).Select(t => ResolveId(t, log)).Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            }
            else if (name == "id")
            {
                arguments[name] = Tokens(value).Select(t => ResolveId(t, log)).FirstOrDefault(t => t.Length > 0) ?? "";
            }
            else if (IntParameters.Contains(name))
            {
                if (ToInt(value) is { } n)
                {
                    arguments[name] = n;
                }
                else
                {
                    arguments.Remove(name); // unparsable: the tool's default applies
                }
            }
            else if (parameter.ParameterType == typeof(string) && value is not null && (value is not string || ((string)value).TrimStart().StartsWith('[')))
            {
                // A list where text is expected (SK hands JSON arrays over as their text): its items, joined.
                arguments[name] = string.Join(name == "aspects" ? ", " : " ", Tokens(value));
            }
        }
    }

    /// <summary>A ref number shown in this turn (or given from the conversation) becomes its paper id.</summary>
    private static string ResolveId(string token, RetrievalLog log)
    {
        var t = token.Trim().Trim('"', '\'', '`', '<', '>');
        var m = RefToken().Match(t);
        if (m.Success && log.Shown(int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture)) is { } paper)
        {
            return paper.Id;
        }

        if (t.StartsWith("id:", StringComparison.OrdinalIgnoreCase) || t.StartsWith("arxiv:", StringComparison.OrdinalIgnoreCase))
        {
            t = t[(t.IndexOf(':') + 1)..].Trim();
        }

        // 2401.01234v2 → 2401.01234
        return ArxivVersion().Replace(t, "$1");
    }

    [GeneratedRegex(@"^(\d{4}\.\d{4,5})v\d+$")]
    private static partial Regex ArxivVersion();

    /// <summary>The values in a list argument, whatever shape it came in.</summary>
    public static List<string> Tokens(object? value)
    {
        switch (value)
        {
            case null:
                return [];
            case string s:
                var trimmed = s.Trim();
                if (trimmed.StartsWith('['))
                {
                    try
                    {
                        using var doc = JsonDocument.Parse(trimmed);
                        return Tokens(doc.RootElement.Clone());
                    }
                    catch (JsonException)
                    {
                        // "[1], [2]" is not JSON: fall through to splitting
                    }
                }

                return trimmed.Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .SelectMany(part => part.Contains(' ') && part.Split(' ', StringSplitOptions.RemoveEmptyEntries).All(w => RefToken().IsMatch(w) || ArxivLike().IsMatch(w))
                        ? part.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                        : [part])
                    .ToList();
            case JsonElement e:
                return e.ValueKind switch
                {
                    JsonValueKind.Array => e.EnumerateArray().SelectMany(x => Tokens(x)).ToList(),
                    JsonValueKind.String => Tokens(e.GetString()),
                    JsonValueKind.Number => [e.GetRawText()],
                    JsonValueKind.Object => e.TryGetProperty("id", out var id) ? Tokens(id) : e.TryGetProperty("ref", out var r) ? Tokens(r) : [],
                    JsonValueKind.Null or JsonValueKind.Undefined => [],
                    _ => [e.GetRawText()],
                };
            case System.Collections.IEnumerable list:
                return list.Cast<object?>().SelectMany(Tokens).ToList();
            default:
                return [Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""];
        }
    }

    [GeneratedRegex(@"^\d{4}\.\d{4,5}(v\d+)?$")]
    private static partial Regex ArxivLike();

    private static int? ToInt(object? value)
    {
        var text = value switch
        {
            JsonElement { ValueKind: JsonValueKind.Number } e => e.GetRawText(),
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            IConvertible c => Convert.ToString(c, CultureInfo.InvariantCulture),
            _ => null,
        };
        return double.TryParse(text?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d is >= int.MinValue and <= int.MaxValue
            ? (int)Math.Round(d)
            : null;
    }
}
