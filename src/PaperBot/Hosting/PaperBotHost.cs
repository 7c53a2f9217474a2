using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaperBot.Cli;

namespace PaperBot.Hosting;

/// <summary>
/// Builds the generic host used by every CLI verb (and by `paperbot run`).
/// Configuration layers, lowest first: embedded config/appsettings.json → ./appsettings.json or --config FILE →
/// user-secrets → PAPERBOT_* environment variables (e.g. PAPERBOT_Discord__Token) → --db.
/// </summary>
public static class PaperBotHost
{
    public static IHost Build(CliArgs args, TextWriter stdout, TextWriter stderr, Action<IHostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "paperbot",
            ContentRootPath = Directory.GetCurrentDirectory(),
        });

        var config = builder.Configuration;
        using (var embedded = Assembly.GetExecutingAssembly().GetManifestResourceStream("PaperBot.appsettings.json"))
        {
            if (embedded is not null)
            {
                var ms = new MemoryStream();
                embedded.CopyTo(ms);
                ms.Position = 0;
                config.AddJsonStream(ms);
            }
        }

        var configFile = args.Get("config");
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
            {
                throw new CliUsageException($"config file not found: {configFile}");
            }

            config.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }
        else
        {
            config.AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true, reloadOnChange: false);
        }

        config.AddUserSecrets(Assembly.GetExecutingAssembly(), optional: true);
        config.AddEnvironmentVariables("PAPERBOT_");
        var db = args.Get("db");
        if (db is not null)
        {
            config.AddInMemoryCollection([new("Storage:DatabasePath", db)]);
        }

        if (args.Has("read-only"))
        {
            // Nothing is written to the database or its folder: the search index, too, is kept in memory
            // (unless Search:IndexPath names another, writable, place).
            config.AddInMemoryCollection([new("Storage:ReadOnly", "true")]);
            if (string.IsNullOrWhiteSpace(config["Search:IndexPath"]))
            {
                config.AddInMemoryCollection([new("Search:IndexPath", ":memory:")]);
            }
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddConfiguration(config.GetSection("Logging"));
        // Logs go to stderr so stdout stays machine-readable (--json).
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new CliConsole(stdout, stderr));
        builder.Services.AddPaperBotModules();
        configure?.Invoke(builder);
        return builder.Build();
    }
}

/// <summary>Where CLI commands write: injectable so tests capture output.</summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error)
{
    public bool IsInteractive => ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected && !Console.IsErrorRedirected;
}
