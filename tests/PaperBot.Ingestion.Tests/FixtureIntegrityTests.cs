using System.Security.Cryptography;
using PaperBot.Testing;

namespace PaperBot.Ingestion.Tests;

/// <summary>The recorded responses in tests/Fixtures are the ones tests/Fixtures/SOURCES.md describes, unedited.</summary>
public sealed class FixtureIntegrityTests
{
    [Theory]
    [InlineData("hf/daily_papers_2026-08-20.json", "016441856ae8f88b")]
    [InlineData("hf/daily_papers_2025-07-01.json", "0b0f6a162c19085a")]
    [InlineData("hf/daily_papers_2024-06-13.json", "ec7d6206dc8453f1")]
    [InlineData("arxiv/arxivpy_q_testing_s0_m100_cfe7536492ca.json", "609d1cb4670d359e")]
    [InlineData("arxiv/arxiv_api_2026_new_format_q_testing_m100.atom.xml", "fd66fb5738c68468")]
    [InlineData("arxiv/arxiv_api_2017_classic_format_deep_dream-0.atom.xml", "bc2edc0471516f23")]
    public void Fixture_matches_its_recorded_sha256(string relative, string sha256Prefix)
    {
        var bytes = File.ReadAllBytes(TestPaths.Fixture(relative.Split('/')));
        Assert.StartsWith(sha256Prefix, Convert.ToHexStringLower(SHA256.HashData(bytes)), StringComparison.Ordinal);
        Assert.Contains(Path.GetFileName(relative), File.ReadAllText(TestPaths.Fixture("SOURCES.md")), StringComparison.Ordinal);
    }
}
