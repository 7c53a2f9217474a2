namespace PaperBot.Testing;

/// <summary>Locates the repository root, the fixtures in tests/Fixtures and the read-only ../shared benchmarks.</summary>
public static class TestPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PaperBot.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("PaperBot.sln not found above " + AppContext.BaseDirectory);
    });

    public static string RepoRoot => Root.Value;

    /// <summary>../shared next to the repository: only benchmarks (SciFact) are read from it, and they skip when it is absent.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string SharedFile(params string[] parts) => Path.Combine([Shared, .. parts]);

    /// <summary>tests/Fixtures: recorded HF and arXiv responses copied into the repository (see tests/Fixtures/SOURCES.md).</summary>
    public static string Fixtures => Path.Combine(RepoRoot, "tests", "Fixtures");

    public static string Fixture(params string[] parts) => Path.Combine([Fixtures, .. parts]);

    public static string HfFixture(string name) => Fixture("hf", name);

    public static string ArxivFixture(string name) => Fixture("arxiv", name);

    /// <summary>The bundled sample corpus (five HF papers pages), the files the product embeds.</summary>
    public static string SeedPagesDir => Path.Combine(RepoRoot, "src", "PaperBot.Ingestion", "SampleCorpus");

    public static string SciFactDir => SharedFile("benchmarks", "scifact");
}

/// <summary>A temp directory deleted on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "paperbot-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a file may still be mapped on some platforms
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
