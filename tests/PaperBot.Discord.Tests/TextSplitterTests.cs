using System.Text;
using System.Text.RegularExpressions;
using PaperBot.Discord.Builders;
using PaperBot.Discord.Models;

namespace PaperBot.Discord.Tests;

public partial class TextSplitterTests
{
    [Fact]
    public void Short_text_is_one_piece()
    {
        Assert.Equal(["hello world"], DiscordTextSplitter.Split("hello world"));
        Assert.Empty(DiscordTextSplitter.Split("   "));
    }

    [Fact]
    public void Prefers_paragraph_boundaries()
    {
        var p1 = string.Join(' ', Enumerable.Repeat("alpha beta.", 50)); // 599 chars
        var p2 = string.Join(' ', Enumerable.Repeat("gamma delta.", 50));
        var pieces = DiscordTextSplitter.Split(p1 + "\n\n" + p2, 1000);
        Assert.Equal([p1, p2], pieces);
    }

    [Fact]
    public void Falls_back_to_sentences_then_words_never_mid_word()
    {
        var text = string.Join(' ', Enumerable.Range(0, 300).Select(i => $"Sentence number {i} is here."));
        var pieces = DiscordTextSplitter.Split(text, 200);
        Assert.All(pieces, p => Assert.True(p.Length <= 200));
        Assert.All(pieces, p => Assert.EndsWith(".", p));
        Assert.Equal(Words(text), pieces.SelectMany(Words));

        var noSentences = string.Join(' ', Enumerable.Range(0, 500).Select(i => "word" + i));
        var wp = DiscordTextSplitter.Split(noSentences, 100);
        Assert.Equal(Words(noSentences), wp.SelectMany(Words));
        Assert.All(wp, p => Assert.True(p.Length <= 100));
    }

    [Fact]
    public void Never_breaks_links_or_urls()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 120; i++)
        {
            sb.Append($"See [paper number {i} title](https://arxiv.org/abs/2401.{i:D5}) and https://huggingface.co/papers/2401.{i:D5}?x=1 then more words ");
        }

        var text = sb.ToString();
        var pieces = DiscordTextSplitter.Split(text, 333);
        Assert.All(pieces, p => Assert.True(p.Length <= 333));
        var linkCount = MarkdownLink().Matches(text).Count;
        Assert.Equal(linkCount, pieces.Sum(p => MarkdownLink().Matches(p).Count));
        Assert.Equal(Regex.Matches(text, @"https://huggingface\.co/papers/2401\.\d{5}\?x=1").Count,
            pieces.Sum(p => Regex.Matches(p, @"https://huggingface\.co/papers/2401\.\d{5}\?x=1").Count));
        Assert.Equal(Words(text), pieces.SelectMany(Words));
    }

    [Fact]
    public void Code_fences_are_closed_and_reopened_with_language()
    {
        var code = string.Join('\n', Enumerable.Range(0, 200).Select(i => $"    x{i} = compute({i})"));
        var text = "Intro paragraph.\n\n```python\n" + code + "\n```\n\nOutro.";
        var pieces = DiscordTextSplitter.Split(text, 500);
        Assert.True(pieces.Count > 3);
        foreach (var p in pieces)
        {
            Assert.True(p.Length <= 500, $"piece too long: {p.Length}");
            Assert.Equal(0, Regex.Matches(p, "```").Count % 2);
        }

        Assert.All(pieces.Where(p => p.Contains("x1 = ")), p => Assert.Contains("```python", p));
        var lines = pieces.SelectMany(p => p.Split('\n')).Where(l => l.StartsWith("    x", StringComparison.Ordinal)).ToList();
        Assert.Equal(code.Split('\n'), lines);
    }

    [Fact]
    public void Random_texts_keep_all_words_and_limits()
    {
        var rng = new Random(7);
        string[] vocab = ["paper", "model", "transformer.", "results!", "Why?", "[link](https://a.io/x_y)", "https://b.org/p?q=1", "`code span`", "\n", "\n\n", "retrieval", "a"];
        for (var round = 0; round < 50; round++)
        {
            var text = string.Join(' ', Enumerable.Range(0, rng.Next(50, 800)).Select(_ => vocab[rng.Next(vocab.Length)]));
            var max = rng.Next(40, 400);
            var pieces = DiscordTextSplitter.Split(text, max);
            Assert.All(pieces, p => Assert.True(p.Length <= max));
            Assert.Equal(Words(text), pieces.SelectMany(Words));
            Assert.Equal(MarkdownLink().Matches(text).Count, pieces.Sum(p => MarkdownLink().Matches(p).Count));
            Assert.Equal(Regex.Matches(text, "`code span`").Count, pieces.Sum(p => Regex.Matches(p, "`code span`").Count));
        }
    }

    [Fact]
    public void A_word_longer_than_the_limit_is_the_only_hard_cut()
    {
        var pieces = DiscordTextSplitter.Split("start " + new string('x', 250) + " end", 100);
        Assert.All(pieces, p => Assert.True(p.Length <= 100));
        Assert.Equal("start " + new string('x', 250) + " end", string.Concat(pieces.Select((p, i) => i == 0 ? p : (pieces[i - 1].EndsWith('x') && p.StartsWith('x') ? p : " " + p))));
    }

    [Fact]
    public void Embed_messages_respect_description_embed_count_and_total()
    {
        var text = string.Join("\n\n", Enumerable.Range(0, 60).Select(i => string.Join(' ', Enumerable.Repeat($"para{i} words here.", 40))));
        var messages = DiscordTextSplitter.SplitToEmbedMessages(text, "Digest", 0x3366ff);
        Assert.True(messages.Count > 1);
        var built = messages.Select(m => m.Build()).ToList();
        Assert.All(built, m => Assert.InRange(m.Embeds!.Count, 1, 10));
        Assert.All(built, m => Assert.True(m.Embeds!.Sum(e => (e.Title?.Length ?? 0) + (e.Description?.Length ?? 0)) <= DiscordLimits.EmbedTotalCharacters));
        Assert.Equal("Digest", built[0].Embeds![0].Title);
        Assert.Equal(Words(text), built.SelectMany(m => m.Embeds!).SelectMany(e => Words(e.Description!)));
    }

    private static IEnumerable<string> Words(string s) => s.Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"\[[^\]\n]*\]\([^)\s]+\)")]
    private static partial Regex MarkdownLink();
}
