using PaperBot.Cli;

return await CliApp.RunAsync(args);
