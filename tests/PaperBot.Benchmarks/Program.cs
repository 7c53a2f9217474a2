using PaperBot.Benchmarks;

return await BenchmarkRunner.RunAsync(args);
