// Prints "discord-spec: N requests validated, M violations" after the run (see PaperBot.Testing/Xunit).
[assembly: Xunit.TestFramework("PaperBot.Testing.Xunit.DiscordSpecReportingFramework", "PaperBot.Testing")]
