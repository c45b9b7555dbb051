using Strata.Cli;

return await StrataApp.RunAsync(args, CliContext.FromProcess());
