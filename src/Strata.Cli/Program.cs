using Strata.Cli;

GlibcMalloc.TuneForShortRun();
return await StrataApp.RunAsync(args, CliContext.FromProcess());
