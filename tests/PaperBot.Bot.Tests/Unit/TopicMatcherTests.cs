using PaperBot.Bot.Subscriptions;
using PaperBot.Core.Papers;

namespace PaperBot.Bot.Tests.Unit;

public sealed class TopicMatcherTests
{
    private static readonly Paper P = new()
    {
        Id = "1",
        Title = "Scaling Vision Transformers with RLHF",
        Abstract = "We study diffusion-based planners.",
        Keywords = ["robotics"],
        Categories = ["cs.CV"],
    };

    [Theory]
    [InlineData("vision transformer", true)] // plural tolerated
    [InlineData("RLHF", true)]
    [InlineData("diffusion", true)]
    [InlineData("robotics", true)]
    [InlineData("cs.cv", true)]
    [InlineData("form", false)] // not inside a word
    [InlineData("audio", false)]
    public void Matches_whole_words_case_insensitively(string topic, bool expected)
    {
        Assert.Equal(expected, TopicMatcher.Matches(P, topic));
    }

    [Fact]
    public void No_topics_matches_everything()
    {
        Assert.True(TopicMatcher.Matches(P, Array.Empty<string>()));
    }

    [Fact]
    public void Keywords_are_split_trimmed_and_deduplicated()
    {
        Assert.Equal(["diffusion", "vision transformer", "rlhf"], Subscription.ParseKeywords(" Diffusion, vision   Transformer;RLHF,diffusion ,, "));
    }
}
