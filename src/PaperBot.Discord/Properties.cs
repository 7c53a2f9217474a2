using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("PaperBot.Discord.Tests")]
[assembly: InternalsVisibleTo("PaperBot.Benchmarks")]
