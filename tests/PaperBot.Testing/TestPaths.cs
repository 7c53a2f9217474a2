namespace PaperBot.Testing;

/// <summary>Locates the repository root and the read-only ../shared data (fixtures, corpus, benchmarks).</summary>
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

    /// <summary>../shared next to the repository (fixtures and benchmarks; never needed at run time).</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string SharedFile(params string[] parts) => Path.Combine([Shared, .. parts]);

    public static string HfFixture(string name) => SharedFile("fixtures", "hf", name);

    public static string ArxivFixture(string name) => SharedFile("fixtures", "arxiv", name);

    public static string SeedPagesDir => SharedFile("corpus", "hf-papers-pages");

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
