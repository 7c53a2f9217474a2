using Lucene.Net.Analysis;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Queries;
using Lucene.Net.Queries.Mlt;
using Lucene.Net.Search;
using Lucene.Net.Store;
using PaperBot.Core.Papers;
using PaperBot.Core.Search.Syntax;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace PaperBot.Core.Search.Indexing;

/// <summary>A ranked index hit: the paper id and its score (hydrate the paper from the store).</summary>
public readonly record struct IndexHit(string Id, float Score);

/// <summary>A paper's sort keys as indexed: date (yyyymmdd of published, else featured; 0 when neither) and upvotes (0 when unknown).</summary>
public readonly record struct SortKeys(int Date, int Upvotes);

/// <summary>
/// The Lucene BM25 paper index: one writer, near-real-time searchers through a <see cref="SearcherManager"/>.
/// Thread-safe: writes, commits and searches may run concurrently.
/// </summary>
public sealed class PaperIndex : IDisposable
{
    private readonly LuceneDirectory _directory;
    private readonly IndexWriter _writer;
    private readonly SearcherManager _searchers;
    private readonly Analyzer _indexAnalyzer;
    private readonly Analyzer _english;
    private readonly PaperQueryBuilder _queries;
    private bool _disposed;

    static PaperIndex() => LuceneFactories.Install();

    private PaperIndex(LuceneDirectory directory, PaperIndexSettings settings, bool create)
    {
        Settings = settings;
        Similarity = new PaperSimilarity(settings.K1, settings.B);
        _directory = directory;
        _english = PaperAnalyzers.CreateEnglish();
        _indexAnalyzer = PaperAnalyzers.CreateIndexAnalyzer();
        var config = new IndexWriterConfig(PaperAnalyzers.Version, _indexAnalyzer)
        {
            OpenMode = create ? OpenMode.CREATE : OpenMode.CREATE_OR_APPEND,
            Similarity = Similarity,
            RAMBufferSizeMB = settings.RamBufferMb,
            // Flushed segments stay as plain files (no compound-file copy); merges decide for themselves.
            UseCompoundFile = false,
        };
        _writer = new IndexWriter(directory, config);
        try
        {
            _searchers = new SearcherManager(_writer, true, new SimilaritySearcherFactory(Similarity));
        }
        catch
        {
            _writer.Dispose();
            throw;
        }

        _queries = new PaperQueryBuilder(_english, PaperAnalyzers.CreateName(), settings);
    }

    public PaperIndexSettings Settings { get; }

    public PaperSimilarity Similarity { get; }

    /// <summary>The English analyzer (for snippets and query terms).</summary>
    public Analyzer EnglishAnalyzer => _english;

    public PaperQueryBuilder Queries => _queries;

    /// <summary>The user data of the last commit (store id, revision, schema).</summary>
    public IDictionary<string, string> CommitData => _writer.CommitData;

    /// <summary>Opens (or creates) the index in <paramref name="path"/>; <paramref name="create"/> wipes what is there.</summary>
    public static PaperIndex OpenFileSystem(string path, PaperIndexSettings settings, bool create)
    {
        System.IO.Directory.CreateDirectory(path);
        var dir = FSDirectory.Open(path);
        try
        {
            return new PaperIndex(dir, settings, create);
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    /// <summary>An index held in memory (evaluation, tests).</summary>
    public static PaperIndex CreateInMemory(PaperIndexSettings settings) => new(new RAMDirectory(), settings, create: true);

    /// <summary>Adds or replaces the paper with the same id.</summary>
    public void Upsert(Paper paper) => _writer.UpdateDocument(new Term(PaperFields.Id, paper.Id), ToDocument(paper));

    /// <summary>Adds without checking for an existing document (only for a fresh build, where ids are unique).</summary>
    public void Add(Paper paper) => _writer.AddDocument(ToDocument(paper));

    public void Delete(string id) => _writer.DeleteDocuments(new Term(PaperFields.Id, id));

    public void DeleteAll() => _writer.DeleteAll();

    /// <summary>Commits everything written so far together with <paramref name="userData"/>.</summary>
    public void Commit(IDictionary<string, string> userData)
    {
        _writer.SetCommitData(new Dictionary<string, string>(userData));
        _writer.Commit();
    }

    /// <summary>Blocks until background merges finish (after a bulk build, so queries do not compete with them).</summary>
    public void WaitForMerges() => _writer.WaitForMerges();

    /// <summary>Makes everything written so far visible to searches.</summary>
    public void Refresh() => _searchers.MaybeRefreshBlocking();

    /// <summary>Live documents visible to searches.</summary>
    public int Count => WithSearcher(s => s.IndexReader.NumDocs);

    /// <summary>Segments in the searchable view (diagnostics: several are searched in parallel).</summary>
    public int SegmentCount => WithSearcher(s => s.IndexReader.Leaves.Count);

    /// <summary>Ranks papers for <paramref name="query"/>; empty when the text has no searchable term and no filter is given.</summary>
    public IReadOnlyList<IndexHit> Search(SearchQuery query) => Search(query, query.Top);

    public IReadOnlyList<IndexHit> Search(SearchQuery query, int top) => Search(query, ParsedQuery.Parse(query.Text), top, query.Sort);

    /// <summary>Ranks papers for the parsed query, in <paramref name="sort"/> order.</summary>
    public IReadOnlyList<IndexHit> Search(SearchQuery query, ParsedQuery parsed, int top, SearchSort sort)
    {
        var q = _queries.Build(query, parsed);
        if (q is null || top <= 0)
        {
            return [];
        }

        var filter = _queries.BuildFilter(query, parsed);
        return WithSearcher(s =>
        {
            TopDocs docs = sort switch
            {
                SearchSort.Date => s.Search(q, filter, top, new Sort(
                    new SortField(PaperFields.DateSort, SortFieldType.INT32, true),
                    SortField.FIELD_SCORE), doDocScores: true, doMaxScore: false),
                SearchSort.Upvotes => s.Search(q, filter, top, new Sort(
                    new SortField(PaperFields.UpvotesSort, SortFieldType.INT32, true),
                    new SortField(PaperFields.DateSort, SortFieldType.INT32, true),
                    SortField.FIELD_SCORE), doDocScores: true, doMaxScore: false),
                _ => s.Search(q, filter, top),
            };
            return ToHits(s, docs);
        });
    }

    /// <summary>
    /// Of <paramref name="ids"/>, those that pass the query's filters and constraints (phrases, exclusions, title:,
    /// author:, prefix*, dates, upvotes), each with its BM25 score for the ranked words (0 when none occurs).
    /// Used to hold papers found by the embedding search to the same rules as BM25 hits.
    /// </summary>
    public Dictionary<string, float> Admit(SearchQuery query, ParsedQuery parsed, IReadOnlyCollection<string> ids)
    {
        var result = new Dictionary<string, float>(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return result;
        }

        // The few ids lead (leap-frog, id filter first): the query and filters are only checked on those documents,
        // not evaluated over the whole index and then intersected.
        var idFilter = new TermsFilter(ids.Select(id => new Term(PaperFields.Id, id)).ToList());
        var filter = _queries.BuildFilter(query, parsed);
        var admitQuery = _queries.Build(query with { Text = "" }, new ParsedQuery
        {
            Phrases = parsed.Phrases,
            Excluded = parsed.Excluded,
            Title = parsed.Title,
            Prefixes = parsed.Prefixes,
        }) ?? new MatchAllDocsQuery();
        var scoring = _queries.Scoring(parsed.RankedText);
        return WithSearcher(s =>
        {
            var admitIds = new FilteredQuery(admitQuery, idFilter, FilteredQuery.LEAP_FROG_FILTER_FIRST_STRATEGY);
            foreach (var hit in ToHits(s, s.Search(admitIds, filter, ids.Count)))
            {
                result[hit.Id] = 0f;
            }

            if (scoring is not null && result.Count > 0)
            {
                var admitted = new TermsFilter(result.Keys.Select(id => new Term(PaperFields.Id, id)).ToList());
                var scored = new FilteredQuery(scoring, admitted, FilteredQuery.LEAP_FROG_FILTER_FIRST_STRATEGY);
                foreach (var hit in ToHits(s, s.Search(scored, result.Count)))
                {
                    result[hit.Id] = hit.Score;
                }
            }

            return result;
        });
    }

    /// <summary>The highest BM25 score any paper could reach for <paramref name="text"/> (see <see cref="PaperQueryBuilder.MaxScore"/>).</summary>
    public double MaxScore(string text) => WithSearcher(s => _queries.MaxScore(text, s.IndexReader));

    /// <summary>Papers like <paramref name="paper"/> (by its title and abstract), never the paper itself.</summary>
    public IReadOnlyList<IndexHit> MoreLikeThis(Paper paper, int top)
    {
        var text = string.Join("\n", paper.Title, paper.Abstract);
        return WithSearcher(s =>
        {
            var mlt = new MoreLikeThis(s.IndexReader)
            {
                Analyzer = _english,
                FieldNames = [PaperFields.Text],
                MinTermFreq = 1,
                MinDocFreq = 2,
                MinWordLen = 2,
                MaxQueryTerms = 30,
            };
            mlt.SetMaxDocFreqPct(50);
            var like = mlt.Like(new StringReader(text), PaperFields.Text);
            if (like is BooleanQuery { Clauses.Count: 0 })
            {
                return [];
            }

            var q = new BooleanQuery
            {
                { like, Occur.MUST },
                { new TermQuery(new Term(PaperFields.Id, paper.Id)), Occur.MUST_NOT },
            };
            return ToHits(s, s.Search(q, top));
        });
    }

    /// <summary>True when <paramref name="id"/> is in the searchable view.</summary>
    public bool Contains(string id) => WithSearcher(s => s.Search(new TermQuery(new Term(PaperFields.Id, id)), 1).TotalHits > 0);

    internal static int DateKey(DateOnly d) => d.Year * 10000 + d.Month * 100 + d.Day;

    /// <summary>
    /// Title + abstract + authors + organisation are scored as one field (<see cref="PaperFields.Text"/>, what scores
    /// best on SciFact, cf. Anserini's "flat" vs "multifield"), the title again on its own for the title weight, and the
    /// names in <see cref="PaperFields.Who"/> for the author/organisation filter. Positions are kept for "quoted phrases".
    /// </summary>
    private static readonly FieldType ScoredText = Frozen(new FieldType(TextField.TYPE_NOT_STORED) { IndexOptions = IndexOptions.DOCS_AND_FREQS_AND_POSITIONS });

    private static readonly FieldType NameText = Frozen(new FieldType(TextField.TYPE_NOT_STORED) { OmitNorms = true });

    private static FieldType Frozen(FieldType t)
    {
        t.Freeze();
        return t;
    }

    private static Document ToDocument(Paper p)
    {
        var doc = new Document
        {
            new StringField(PaperFields.Id, p.Id, Field.Store.YES),
            new BinaryDocValuesField(PaperFields.IdValue, new Lucene.Net.Util.BytesRef(p.Id)),
            new Field(PaperFields.Title, p.Title ?? "", ScoredText),
        };
        var combined = new System.Text.StringBuilder((p.Title?.Length ?? 0) + (p.Abstract?.Length ?? 0) + 128);
        combined.Append(p.Title).Append('\n').Append(p.Abstract);
        foreach (var a in p.Authors)
        {
            if (!string.IsNullOrWhiteSpace(a))
            {
                doc.Add(new Field(PaperFields.Who, a, NameText));
                combined.Append('\n').Append(a);
            }
        }

        if (!string.IsNullOrWhiteSpace(p.Organization))
        {
            doc.Add(new Field(PaperFields.Who, p.Organization, NameText));
            combined.Append('\n').Append(p.Organization);
        }

        doc.Add(new Field(PaperFields.Text, combined.ToString(), ScoredText));

        var date = p.Published ?? p.FeaturedOn;
        var dateKey = date is { } d ? DateKey(d) : 0;
        doc.Add(new NumericDocValuesField(PaperFields.DateSort, dateKey));
        var featuredKey = p.FeaturedOn is { } f ? DateKey(f) : 0;
        doc.Add(new NumericDocValuesField(PaperFields.FeaturedSort, featuredKey));
        var upvotes = p.Upvotes ?? 0;
        doc.Add(new NumericDocValuesField(PaperFields.UpvotesSort, upvotes));
        return doc;
    }

    /// <summary>
    /// The date and upvote sort keys (<see cref="PaperFields.DateSort"/>, <see cref="PaperFields.UpvotesSort"/> doc
    /// values) of those of <paramref name="ids"/> that are in the index: a date or upvote sort of fused candidates reads
    /// them here instead of loading every candidate paper from the store.
    /// </summary>
    public Dictionary<string, SortKeys> SortKeysOf(IReadOnlyCollection<string> ids)
    {
        var result = new Dictionary<string, SortKeys>(ids.Count, StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return result;
        }

        var idFilter = new TermsFilter(ids.Select(id => new Term(PaperFields.Id, id)).ToList());
        return WithSearcher(s =>
        {
            var leaves = s.IndexReader.Leaves;
            var dates = new NumericDocValues?[leaves.Count];
            var upvotes = new NumericDocValues?[leaves.Count];
            ForEachHit(s, s.Search(new ConstantScoreQuery(idFilter), ids.Count), (id, _, leaf, doc) =>
            {
                var reader = leaves[leaf].AtomicReader;
                var d = dates[leaf] ??= reader.GetNumericDocValues(PaperFields.DateSort);
                var u = upvotes[leaf] ??= reader.GetNumericDocValues(PaperFields.UpvotesSort);
                result[id] = new SortKeys((int)(d?.Get(doc) ?? 0), (int)(u?.Get(doc) ?? 0));
            });
            return result;
        });
    }

    /// <summary>Hits with their ids (see <see cref="ForEachHit"/>).</summary>
    private static List<IndexHit> ToHits(IndexSearcher s, TopDocs docs)
    {
        var hits = new List<IndexHit>(docs.ScoreDocs.Length);
        ForEachHit(s, docs, (id, sd, _, _) => hits.Add(new IndexHit(id, float.IsNaN(sd.Score) ? 0f : sd.Score)));
        return hits;
    }

    /// <summary>
    /// Each hit with its id, read from the id doc values (a stored-field read decompresses a whole block per hit, which
    /// was a large share of a hybrid query's time; an index written before the doc values existed falls back to it),
    /// its segment and its document number within the segment.
    /// </summary>
    private static void ForEachHit(IndexSearcher s, TopDocs docs, Action<string, ScoreDoc, int, int> visit)
    {
        var leaves = s.IndexReader.Leaves;
        var values = new BinaryDocValues?[leaves.Count];
        var loaded = new bool[leaves.Count];
        var bytes = new Lucene.Net.Util.BytesRef();
        HashSet<string>? fields = null;
        foreach (var sd in docs.ScoreDocs)
        {
            var leaf = ReaderUtil.SubIndex(sd.Doc, leaves);
            if (!loaded[leaf])
            {
                values[leaf] = leaves[leaf].AtomicReader.GetBinaryDocValues(PaperFields.IdValue);
                loaded[leaf] = true;
            }

            string id;
            if (values[leaf] is { } dv)
            {
                dv.Get(sd.Doc - leaves[leaf].DocBase, bytes);
                id = bytes.Utf8ToString();
            }
            else
            {
                fields ??= [PaperFields.Id];
                id = s.Doc(sd.Doc, fields).Get(PaperFields.Id);
            }

            visit(id, sd, leaf, sd.Doc - leaves[leaf].DocBase);
        }
    }

    private T WithSearcher<T>(Func<IndexSearcher, T> f)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var s = _searchers.Acquire();
        try
        {
            return f(s);
        }
        finally
        {
            _searchers.Release(s);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _searchers.Dispose();
        _writer.Dispose();
        _directory.Dispose();
        _indexAnalyzer.Dispose();
        _english.Dispose();
    }

    /// <summary>
    /// Searchers score the index's segments in parallel (one task per segment, merged by score or sort key with the
    /// same tie-break on document order as a sequential search, so results are identical) when there are several
    /// segments and cores: a 1M-paper index has ~10 segments and a broad query's latency is then shared by all cores.
    /// </summary>
    private sealed class SimilaritySearcherFactory(PaperSimilarity similarity) : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) =>
            reader.Leaves.Count > 1 && Environment.ProcessorCount > 1
                ? new PaperSearcher(reader, TaskScheduler.Default) { Similarity = similarity }
                : new PaperSearcher(reader) { Similarity = similarity };
    }
}
