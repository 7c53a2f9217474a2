using System.Globalization;
using PaperBot.Core.Papers;

namespace PaperBot.Bot.Tests.EndToEnd;

/// <summary>A small deterministic corpus: 12 diffusion papers (so /search pages 1–3 exist) and a few others.</summary>
public static class BotTestPapers
{
    public static readonly DateOnly Day = new(2026, 11, 20);

    private static readonly string[] Topics = ["image generation", "video synthesis", "audio generation", "protein design"];

    public static IReadOnlyList<Paper> All { get; } = Build();

    public static Paper Diffusion(int i) => All[i];

    private static List<Paper> Build()
    {
        var list = new List<Paper>();
        for (var i = 0; i < 12; i++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"2611.{10000 + i}");
            list.Add(new Paper
            {
                Id = id,
                ArxivId = id,
                Title = $"Diffusion Model Study {i:00}: {Topics[i % Topics.Length]}",
                Abstract = $"We present diffusion study number {i}. Our diffusion model improves {Topics[i % Topics.Length]} by {10 + i} percent on standard benchmarks. " +
                           "The method uses a denoising schedule and classifier-free guidance.",
                Authors = [$"Author {i}", "Second Author"],
                Published = Day.AddDays(-i),
                FeaturedOn = Day.AddDays(-(i % 3)),
                Upvotes = 100 - i,
                HfUrl = $"https://huggingface.co/papers/{id}",
                GithubUrl = i % 2 == 0 ? $"https://github.com/example/diffusion-{i}" : null,
                Sources = ["test"],
            });
        }

        list.Add(new Paper
        {
            Id = "2611.20001",
            ArxivId = "2611.20001",
            Title = "Speculative Decoding for Large Language Models",
            Abstract = "Speculative decoding accelerates large language model inference by drafting tokens with a small model and verifying them with the large model. We report a 2.5x speed-up without quality loss.",
            Authors = ["Dana Draft", "Vera Verify"],
            Published = Day,
            FeaturedOn = Day,
            Upvotes = 250,
            Keywords = ["llm", "inference"],
            Sources = ["test"],
        });
        list.Add(new Paper
        {
            Id = "2611.20002",
            ArxivId = "2611.20002",
            Title = "Robot Grasping with Vision Transformers",
            Abstract = "We train vision transformers for robotic grasping and reach 93 percent success on unseen objects.",
            Authors = ["Rob Otto"],
            Published = Day,
            FeaturedOn = Day,
            Upvotes = 40,
            Keywords = ["robotics"],
            Sources = ["test"],
        });
        return list;
    }

}
