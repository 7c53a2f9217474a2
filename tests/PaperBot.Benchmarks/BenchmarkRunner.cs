namespace PaperBot.Benchmarks;

/// <summary>A benchmark: one class each, found by name.</summary>
public interface IBenchmark
{
    string Name { get; }

    string Description { get; }

    Task<int> RunAsync(string[] args, CancellationToken cancellationToken);
}

public static class BenchmarkRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        var all = typeof(BenchmarkRunner).Assembly.GetTypes()
            .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .ToList();
        var bench = args.Length > 0 ? all.FirstOrDefault(b => b.Name == args[0]) : null;
        if (bench is null)
        {
            Console.Error.WriteLine("usage: PaperBot.Benchmarks <name> [args]\n");
            foreach (var b in all)
            {
                Console.Error.WriteLine($"  {b.Name,-22} {b.Description}");
            }

            return args.Length == 0 ? 0 : 2;
        }

        return await bench.RunAsync(args[1..], CancellationToken.None);
    }
}
