using PaperBot.Core.Papers;

namespace PaperBot.AI.Tests.Support;

/// <summary>A handful of realistic papers (abstracts paraphrased from public arXiv listings) for unit tests.</summary>
public static class TestPapers
{
    public static readonly Paper SpecDecoding = new()
    {
        Id = "2401.00001",
        ArxivId = "2401.00001",
        Title = "Faster Inference with Speculative Decoding Trees",
        Abstract = "Large language model inference is slow because tokens are generated one at a time. We propose TreeSpec, a speculative decoding method that drafts a tree of candidate tokens with a small model and verifies them in parallel with the large model. On code and chat benchmarks TreeSpec achieves a 2.8x speedup without changing the output distribution. However, the gains shrink for very long contexts.",
        Published = new DateOnly(2024, 1, 2),
        Upvotes = 120,
        HfUrl = "https://huggingface.co/papers/2401.00001",
    };

    public static readonly Paper Quantization = new()
    {
        Id = "2401.00002",
        ArxivId = "2401.00002",
        Title = "Four-Bit Quantization of Language Models Without Accuracy Loss",
        Abstract = "Quantization reduces the memory footprint of language models. We introduce a calibration procedure that quantizes weights to four bits using a small dataset of 512 samples from C4. Our method outperforms GPTQ on perplexity and keeps zero-shot accuracy within 0.5 points of the full-precision model.",
        Published = new DateOnly(2024, 1, 3),
        Upvotes = 80,
    };

    public static readonly Paper Diffusion = new()
    {
        Id = "2401.00003",
        ArxivId = "2401.00003",
        Title = "Consistency Distillation for One-Step Image Diffusion",
        Abstract = "Diffusion models produce high quality images but need many sampling steps. We present a consistency distillation approach that trains a student to generate images in a single step. Trained on LAION-Aesthetics, the student reaches an FID of 6.2 on COCO, improving over previous one-step methods.",
        Published = new DateOnly(2024, 1, 4),
        Upvotes = 200,
    };

    public static readonly Paper Retrieval = new()
    {
        Id = "2401.00004",
        ArxivId = "2401.00004",
        Title = "Dense Retrieval Meets Speculative Decoding for RAG",
        Abstract = "Retrieval-augmented generation adds latency from both retrieval and decoding. We study how speculative decoding interacts with retrieved context and propose a draft model conditioned on retrieved passages. Experiments on Natural Questions show 1.9x faster generation with equal exact match.",
        Published = new DateOnly(2024, 1, 5),
        Upvotes = 40,
    };

    public static IReadOnlyList<Paper> All => [SpecDecoding, Quantization, Diffusion, Retrieval];
}
