using Microsoft.SemanticKernel;
using PaperBot.AI.Prompts;
using PaperBot.Testing;

namespace PaperBot.AI.Tests;

public sealed class PromptTests
{
    [Fact]
    public void Every_prompt_file_is_embedded_and_becomes_a_kernel_function_with_its_declared_variables()
    {
        var files = Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "prompts"), "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)!).Order().ToList();
        Assert.Equal(["answer-with-citations", "compare", "daily-digest", "session-notes", "summarize"], files);

        var library = new PromptLibrary();
        Assert.Equal(files, library.Names.Order().ToList());
        foreach (var name in files)
        {
            var config = library.Config(name!);
            var function = library.Function(name!);
            Assert.False(string.IsNullOrWhiteSpace(config.Description), name);
            Assert.Equal("semantic-kernel", config.TemplateFormat);
            Assert.NotEmpty(config.InputVariables);
            Assert.Equal(config.Name, function.Name);
            Assert.Equal(
                config.InputVariables.Select(v => v.Name).Order(),
                function.Metadata.Parameters.Select(p => p.Name).Order());
            // Every declared variable is used by the template, and every used variable is declared.
            var used = System.Text.RegularExpressions.Regex.Matches(config.Template, @"\{\{\s*\$(\w+)\s*\}\}").Select(m => m.Groups[1].Value).Distinct().Order();
            Assert.Equal(config.InputVariables.Select(v => v.Name).Order(), used);
            Assert.True(config.DefaultExecutionSettings?.ExtensionData?.ContainsKey("temperature"), name);
        }
    }

    [Fact]
    public async Task Rendering_fills_the_variables()
    {
        var library = new PromptLibrary();
        var text = await library.RenderAsync(PromptLibrary.AnswerWithCitations, new KernelArguments { ["today"] = "2024-01-06", ["context"] = "[1] 2401.00001: X" });
        Assert.Contains("Today is 2024-01-06.", text);
        Assert.Contains("[1] 2401.00001: X", text);
        Assert.DoesNotContain("{{", text);
    }

    [Fact]
    public void Invalid_yaml_names_the_file_and_position()
    {
        var ex = Assert.Throws<InvalidDataException>(() => PromptLibrary.Parse("name: x\ntemplate: [unclosed\n", "broken.yaml"));
        Assert.Contains("broken.yaml", ex.Message);
        Assert.Contains("line", ex.Message);
    }
}
