using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PaperBot.Core.Papers;
using PaperBot.Ingestion.Parsing;

namespace PaperBot.Ingestion;

/// <summary>
/// The bundled sample corpus: five Hugging Face papers pages (336 unique papers) embedded in this assembly, so a fresh
/// install has something to search without network or files. <see cref="EnsureSampleLoadedAsync"/> loads it into an
/// empty store (first use) and does nothing otherwise.
/// </summary>
public sealed class SampleCorpusLoader
{
    private const string ResourcePrefix = "PaperBot.Ingestion.SampleCorpus.";
    private readonly IPaperStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _checked;

    public SampleCorpusLoader(IPaperStore store, TimeProvider time, ILogger<SampleCorpusLoader>? logger = null)
    {
        _store = store;
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The embedded sample pages (resource name without prefix, text), in name order.</summary>
    public static IReadOnlyList<(string Name, string Text)> ReadEmbeddedPages()
    {
        var asm = typeof(SampleCorpusLoader).Assembly;
        var pages = new List<(string, string)>();
        foreach (var name in asm.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = asm.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            pages.Add((name[ResourcePrefix.Length..], reader.ReadToEnd()));
        }

        return pages;
    }

    /// <summary>Parses the embedded pages (all of them, duplicates across pages included; the store merges them).</summary>
    public ParseResult ParseSample()
    {
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        var all = new ParseResult(IngestFormat.HfPageText);
        foreach (var (name, text) in ReadEmbeddedPages())
        {
            var r = HfPageTextParser.Parse(text, "sample:" + name, today);
            all.Papers.AddRange(r.Papers);
            all.Issues.AddRange(r.Issues);
        }

        return all;
    }

    /// <summary>Loads the sample corpus when the store is empty. Returns the upsert counts, or null when nothing was loaded.</summary>
    public async Task<UpsertResult?> EnsureSampleLoadedAsync(CancellationToken cancellationToken = default)
    {
        if (_checked)
        {
            return null;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_checked)
            {
                return null;
            }

            UpsertResult? loaded = null;
            if (_store.Count() == 0)
            {
                var sample = ParseSample();
                foreach (var issue in sample.Issues)
                {
                    _logger.LogWarning("sample corpus: {Issue}", issue.ToString());
                }

                loaded = _store.Upsert(sample.Papers);
                _logger.LogInformation("Empty database: loaded the bundled sample corpus ({Added} papers).", loaded.Value.Added);
            }

            _checked = true;
            return loaded;
        }
        finally
        {
            _gate.Release();
        }
    }
}
