using Strata.Cli;

GlibcMalloc.TuneForShortRun();
SocketCompletions.RunInline();
var context = CliContext.FromProcess();
var code = await StrataApp.RunAsync(args, context);
// A last line without its newline (a prompt's answer echoed, a partial write) still goes out.
await context.Output.FlushAsync();
return code;
