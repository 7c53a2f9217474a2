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
    public static IHost Build(PaperBotHostArgs args, TextWriter stdout, TextWriter stderr, Action<IHostApplicationBuilder>? configure = null) =>
        Build(args, new CliConsole(stdout, stderr), configure);

    public static IHost Build(PaperBotHostArgs args, CliConsole console, Action<IHostApplicationBuilder>? configure = null)
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

        // A settings file that is not valid JSON stops here with its path, line and the key it broke in (exit 3).
        if (args.ConfigFile is { } configFile)
        {
            if (!File.Exists(configFile))
            {
                throw new CliUsageException($"config file not found: {configFile}");
            }

            ConfigurationErrors.LoadJsonFile(config, Path.GetFullPath(configFile), optional: false);
        }
        else
        {
            ConfigurationErrors.LoadJsonFile(config, Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true);
        }

        ConfigurationErrors.LoadUserSecrets(config, Assembly.GetExecutingAssembly());
        config.AddEnvironmentVariables("PAPERBOT_");
        if (args.DatabasePath is { } db)
        {
            config.AddInMemoryCollection([new("Storage:DatabasePath", db)]);
        }

        if (args.ReadOnly)
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
        // Logging:Console:FormatterName=json switches to one JSON object per line (options: Logging:Console:FormatterOptions).
        builder.Logging.AddJsonConsole(o =>
        {
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            o.UseUtcTimestamp = true;
        });
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
            // On a terminal, log lines go through Spectre (see LiveStderr): plain text, no colour codes.
            if (console.IsInteractive)
            {
                o.ColorBehavior = Microsoft.Extensions.Logging.Console.LoggerColorBehavior.Disabled;
            }
        });
        builder.Logging.AddConfiguration(config.GetSection("Logging"));
        // Logs go to stderr so stdout stays machine-readable (--json).
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o =>
        {
            o.LogToStandardErrorThreshold = LogLevel.Trace;
            // AddSimpleConsole (the default) set its own name last; the configured formatter wins over it.
            if (config["Logging:Console:FormatterName"] is { Length: > 0 } formatter)
            {
                o.FormatterName = formatter;
            }
        });

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(console);
        builder.Services.AddPaperBotModules(builder.Configuration);
        configure?.Invoke(builder);
        return builder.Build();
    }
}

/// <summary>What the command line contributes to the host: the global --db and --config options.</summary>
public sealed record PaperBotHostArgs(string? DatabasePath = null, string? ConfigFile = null, bool ReadOnly = false);
