using Lucene.Net.Codecs;
using Lucene.Net.Codecs.Lucene41;
using Lucene.Net.Codecs.Lucene45;
using Lucene.Net.Codecs.Lucene46;

namespace PaperBot.Core.Search.Indexing;

/// <summary>
/// Start-up: Lucene.Net finds its codecs, postings and doc-values formats by reflecting over every type of its
/// assembly the first time an index is opened (hundreds of milliseconds in a one-off CLI process). PaperBot's index
/// uses only Lucene 4.6's codec with its default formats, so these factories register exactly those and scan nothing.
/// </summary>
internal static class LuceneFactories
{
    private static int _installed;

    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 0)
        {
            Codec.SetCodecFactory(new CodecFactory());
            DocValuesFormat.SetDocValuesFormatFactory(new DocValuesFactory());
            PostingsFormat.SetPostingsFormatFactory(new PostingsFactory());
        }
    }

    private sealed class CodecFactory : DefaultCodecFactory
    {
        protected override void Initialize() => PutCodecType(typeof(Lucene46Codec));
    }

    private sealed class DocValuesFactory : DefaultDocValuesFormatFactory
    {
        protected override void Initialize() => PutDocValuesFormatType(typeof(Lucene45DocValuesFormat));
    }

    private sealed class PostingsFactory : DefaultPostingsFormatFactory
    {
        protected override void Initialize() => PutPostingsFormatType(typeof(Lucene41PostingsFormat));
    }
}
