using System.Reflection;
using Microsoft.SemanticKernel;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace PaperBot.AI.Prompts;

/// <summary>
/// Loads the prompts embedded from /prompts (SK prompt-YAML schema: name, description, template_format, template,
/// input_variables, execution_settings) into <see cref="PromptTemplateConfig"/> and SK kernel functions.
/// </summary>
public sealed class PromptLibrary
{
    public const string AnswerWithCitations = "answer-with-citations";
    public const string Summarize = "summarize";
    public const string Compare = "compare";
    public const string DailyDigest = "daily-digest";
    public const string SessionNotes = "session-notes";

    private const string ResourcePrefix = "PaperBot.AI.Prompts.";

    private readonly Dictionary<string, PromptTemplateConfig> _configs;
    private readonly Dictionary<string, KernelFunction> _functions;

    public PromptLibrary()
    {
        _configs = new Dictionary<string, PromptTemplateConfig>(StringComparer.Ordinal);
        var asm = typeof(PromptLibrary).Assembly;
        foreach (var res in asm.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal)))
        {
            var file = res[ResourcePrefix.Length..^".yaml".Length];
            _configs[file] = Parse(Read(asm, res), file + ".yaml");
        }

        _functions = _configs.ToDictionary(kv => kv.Key, kv => KernelFunctionFactory.CreateFromPrompt(kv.Value), StringComparer.Ordinal);
    }

    /// <summary>Names of the embedded prompt files (without .yaml).</summary>
    public IReadOnlyCollection<string> Names => _configs.Keys;

    public PromptTemplateConfig Config(string name) =>
        _configs.TryGetValue(name, out var c) ? c : throw new KeyNotFoundException($"prompt '{name}.yaml' is not embedded (expected in /prompts)");

    public KernelFunction Function(string name) =>
        _functions.TryGetValue(name, out var f) ? f : throw new KeyNotFoundException($"prompt '{name}.yaml' is not embedded (expected in /prompts)");

    /// <summary>
    /// Renders a prompt's template as plain text (the system prompt of the chat flow). The text goes into a system
    /// message as is, with no chat-prompt parsing after it, so variables are inserted unescaped: SK's default HTML
    /// encoding would send "Q&amp;A … it&#39;s" to the model.
    /// </summary>
    public Task<string> RenderAsync(string name, KernelArguments arguments, CancellationToken cancellationToken = default)
    {
        var template = new KernelPromptTemplateFactory { AllowDangerouslySetContent = true }.Create(Raw(name));
        return template.RenderAsync(new Kernel(), arguments, cancellationToken);
    }

    private PromptTemplateConfig Raw(string name)
    {
        var c = Config(name);
        return new PromptTemplateConfig(c.Template)
        {
            Name = c.Name,
            TemplateFormat = c.TemplateFormat,
            InputVariables = c.InputVariables.Select(v => new InputVariable(v) { AllowDangerouslySetContent = true }).ToList(),
            AllowDangerouslySetContent = true,
        };
    }

    /// <summary>Parses SK prompt YAML; errors name the file and the line/column.</summary>
    public static PromptTemplateConfig Parse(string yaml, string fileName)
    {
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .WithTypeConverter(new ExecutionSettingsConverter())
            .Build();
        PromptTemplateConfig config;
        try
        {
            config = deserializer.Deserialize<PromptTemplateConfig>(yaml)
                ?? throw new InvalidDataException($"prompt {fileName} is empty");
        }
        catch (YamlException ex)
        {
            throw new InvalidDataException($"prompt {fileName}: invalid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.InnerException?.Message ?? ex.Message}", ex);
        }

        if (string.IsNullOrWhiteSpace(config.Name) || string.IsNullOrWhiteSpace(config.Template))
        {
            throw new InvalidDataException($"prompt {fileName}: 'name' and 'template' are required");
        }

        return config;
    }

    private static string Read(Assembly asm, string resource)
    {
        using var s = asm.GetManifestResourceStream(resource)!;
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }

    /// <summary>Maps an execution_settings entry: service_id/model_id/function_choice_behavior are skipped or mapped; the rest goes to ExtensionData.</summary>
    private sealed class ExecutionSettingsConverter : IYamlTypeConverter
    {
        public bool Accepts(Type type) => type == typeof(PromptExecutionSettings);

        public object ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer)
        {
            var settings = new PromptExecutionSettings { ExtensionData = new Dictionary<string, object>() };
            parser.Consume<MappingStart>();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = parser.Consume<Scalar>().Value;
                var value = rootDeserializer(typeof(object));
                switch (key)
                {
                    case "model_id":
                        settings.ModelId = value?.ToString();
                        break;
                    case "service_id":
                        settings.ServiceId = value?.ToString();
                        break;
                    default:
                        if (value is not null)
                        {
                            settings.ExtensionData[key] = value;
                        }

                        break;
                }
            }

            return settings;
        }

        public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer) =>
            throw new InvalidOperationException("prompt YAML is read-only");
    }
}
