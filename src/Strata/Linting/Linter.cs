using System.Text.Json;
using Strata.Linting.Rules;
using Strata.Migrations;
using Strata.Sql;

namespace Strata.Linting;

/// <summary>A rule as reports list it.</summary>
/// <param name="Name">Its kebab-case name.</param>
/// <param name="DefaultSeverity">Its severity unless strata.toml overrides it.</param>
/// <param name="Summary">What it asks for, in one sentence.</param>
/// <param name="Help">Its documentation page.</param>
public sealed record RuleInfo(string Name, Severity DefaultSeverity, string Summary, string Help);

/// <summary>What <c>lint</c> was asked to do.</summary>
/// <param name="Paths">Files and folders (every *.sql under a folder); empty for the project's migrations folder.</param>
public sealed record LintOptions(IReadOnlyList<string> Paths);

/// <summary>What <c>lint</c> found in the files it was given.</summary>
/// <param name="Findings">Every finding, by file and line.</param>
/// <param name="Files">How many files were linted.</param>
/// <param name="ParserAvailable">
/// False when libpg_query could not be loaded: rules then read the lexer's statement facts, and
/// the rules that need a parse tree found nothing. Lint says so, never silently.
/// </param>
public sealed record LintResult(IReadOnlyList<Finding> Findings, int Files, bool ParserAvailable) : OperationResult
{
    /// <summary>Every rule lint knows, for reports that list them (SARIF's driver rules).</summary>
    public IReadOnlyList<RuleInfo> Rules { get; init; } = Linter.Catalog;

    /// <summary>True when an error-severity finding remains: lint exits 1.</summary>
    public bool HasErrors => Findings.Any(f => f.Severity == Severity.Error);
}

/// <summary>
/// Lints migration files with every rule, oldest first, so two-phase rules see what earlier files
/// did. Every *.sql file given is read, whatever its name; nothing is refused, everything found
/// is a finding, and a broken statement never stops the rest of the file.
/// </summary>
internal sealed class Linter(LintSettings settings)
{
    /// <summary>Every rule, in the order their findings are listed for one statement. The one list a new rule is added to.</summary>
    public static readonly IReadOnlyList<LintRule> Rules =
    [
        new FileName(), new FileFormat(), new Syntax(), new RequireDescription(), new RequireRollback(),
        new RequireConcurrentIndex(), new BanDropWithoutDeprecation(), new RequireWhere(), new BanHardCodedUuid(), new BanUserSpecificLiteral(), new BanHardCodedTimestamp(), new RequireBatchedBackfill(),
        new BanRename(), new BanColumnTypeChange(), new RequireNotNullDefault(), new RequireNotValid(), new RequireUniqueUsingIndex(), new RequireCheckBeforeSetNotNull(), new BanVolatileDefault(), new BanCascade(), new BanBlockingMaintenance(),
        new BanOrphanRowCount(), new RequireRowLevelSecurity(), new BanAnonWriteGrant(), new RequireSecurityDefinerSearchPath(),
        new RequireIdempotentGuard(), new PreferTimestamptz(), new PreferBigint(), new PreferIdentity(), new PreferText(), new BanSelfRecordingInsert(),
    ];

    /// <summary>The rules as reports list them.</summary>
    public static readonly IReadOnlyList<RuleInfo> Catalog = [.. Rules.Select(r => new RuleInfo(r.Name, r.DefaultSeverity, r.Summary, Help(r.Name)))];

    private static readonly HashSet<string> RuleNames = [.. Rules.Select(r => r.Name), SuppressionRules.Missing, SuppressionRules.Unknown, SuppressionRules.Unused];

    public LintResult Lint(IReadOnlyList<string> paths)
    {
        // Oldest first by file name: the timestamp convention orders them, and a name outside it sorts where it sorts.
        var ordered = paths.OrderBy(Path.GetFileName, StringComparer.Ordinal).ToArray();
        // Each file is read, parsed and linted by one worker, one per core, taking files in order.
        // Reading and parsing is most of the work and independent per file (libpg_query keeps its
        // memory per thread). Linting a file needs the history before it (the tables earlier files
        // created, the objects they deprecated): a worker hands its file in, the files handed in
        // so far are folded into the history in order, and it waits for its own file's turn,
        // which is at most one file's reading by another worker. Few parse trees are alive at any
        // time: reading everything first made the garbage collector copy every tree from
        // generation to generation, and chunks of files left cores idle at each chunk's end.
        var perFile = new List<Finding>[ordered.Length];
        var history = new LintContext.History(settings);
        var handedIn = new LintFile?[ordered.Length];
        var contexts = new LintContext?[ordered.Length];
        var folded = 0;
        var next = -1;
        var failed = false;
        var gate = new object();
        var workers = Math.Min(Environment.ProcessorCount, Math.Max(1, ordered.Length));
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < ordered.Length)
            {
                LintFile? file = null;
                LintContext? context;
                try
                {
                    file = Read(ordered[i]);
                    lock (gate)
                    {
                        handedIn[i] = file;
                        while (folded < ordered.Length && handedIn[folded] is { } ready)
                        {
                            contexts[folded] = history.ContextFor(ready);
                            history.Remember(ready);
                            handedIn[folded] = null;
                            folded++;
                        }
                        Monitor.PulseAll(gate);
                        while (contexts[i] is null && !failed) Monitor.Wait(gate);
                        if (failed) return;
                        context = contexts[i]!;
                        contexts[i] = null;
                    }
                    perFile[i] = [.. LintFile(file, context)];
                }
                catch
                {
                    // A bug in a rule must not leave the other workers waiting for this file.
                    lock (gate)
                    {
                        failed = true;
                        Monitor.PulseAll(gate);
                    }
                    throw;
                }
                finally
                {
                    file?.Dispose();
                }
            }
        });
        var findings = perFile.SelectMany(f => f).ToList();
        return new LintResult(findings, paths.Count, Parsing);
    }

    private IEnumerable<Finding> LintFile(LintFile file, LintContext context)
    {
        var hits = new List<(LintRule Rule, RuleHit Hit)>();
        foreach (var rule in Rules)
        {
            foreach (var hit in rule.CheckFile(file, context)) hits.Add((rule, hit));
            foreach (var statement in file.Up)
            {
                if (rule.Reads(statement))
                    foreach (var hit in rule.Check(statement, context)) hits.Add((rule, hit));
                if (!rule.ReadsDoBlocks) continue;
                foreach (var nested in statement.Nested)
                {
                    if (rule.Reads(nested))
                        foreach (var hit in rule.Check(nested, context)) hits.Add((rule, hit));
                }
            }
        }
        var syntax = Rules.OfType<Syntax>().Single();
        foreach (var statement in file.Up)
        {
            if (statement.Rejection is { } rejected) hits.Add((syntax, MaybeNewerSyntax(rejected)));
        }

        var suppressions = Suppressions.Find(file.Text);
        var starts = file.Up.Select(s => s.Line).ToList();
        var findings = new List<Finding>();
        foreach (var (rule, hit) in hits.OrderBy(h => h.Hit.Line).ThenBy(h => h.Hit.Column))
        {
            var severity = settings.Severities.TryGetValue(rule.Name, out var overridden) ? overridden : hit.Severity ?? rule.DefaultSeverity;
            if (severity is not { } kept) continue;
            if (Suppressions.For(suppressions, starts, rule.Name, hit.Line) is { } suppression)
            {
                suppression.Used = true;
                continue;
            }
            findings.Add(new Finding(rule.Name, kept, hit.Message, Help(rule.Name), file.Path, hit.Line, hit.Column));
        }
        foreach (var suppression in suppressions)
        {
            if (suppression.Rule.Length == 0 || !RuleNames.Contains(suppression.Rule))
                findings.Add(SuppressionRules.UnknownRule(file.Path, suppression));
            else if (suppression.Reason is null)
                findings.Add(SuppressionRules.MissingReason(file.Path, suppression));
            else if (!suppression.Used)
                findings.Add(SuppressionRules.NotUsed(file.Path, suppression));
        }
        return findings.OrderBy(f => f.Line).ThenBy(f => f.Column);
    }

    /// <summary>
    /// A statement PostgreSQL 15's parser rejects may be valid on the newer server the project
    /// targets (<c>[lint] postgres = 17</c>): MERGE ... RETURNING, JSON_TABLE, ... Then it is a
    /// warning naming the parser's version, never an error that blocks a valid migration.
    /// </summary>
    private RuleHit MaybeNewerSyntax(RuleHit rejected)
    {
        var parser = PgQuery.Version is { } version && int.TryParse(version.Split('.')[0], out var major) ? major : 15;
        if (!rejected.ByParser || settings.Postgres is not { } target || target <= parser) return rejected;
        return rejected with
        {
            Message = $"{rejected.Message}. This is PostgreSQL {parser}'s parser and the project targets PostgreSQL {target} ([lint] postgres): " +
                      $"if this is syntax newer than {parser}, check the statement on a {target} server (strata verify --url).",
            Severity = Severity.Warning,
        };
    }

    /// <summary>The rule's documentation page, relative to the repository (and the package's docs).</summary>
    public static string Help(string rule) => $"docs/rules/{rule}.md";

    /// <summary>True when statements are read with PostgreSQL's parser: it loaded, and the project did not turn it off.</summary>
    private bool Parsing => settings.UseParser && ParseTrees.Available;

    /// <summary>Reads one file into what rules see; every problem becomes part of the file, never an exception.</summary>
    private LintFile Read(string path)
    {
        var name = Path.GetFileName(path);
        var problems = new List<Problem>();
        string text;
        try
        {
            if (!MigrationText.TryDecode(path, File.ReadAllBytes(path), out text, out var encoding))
                return new LintFile(path, name, "", null, [], false, false, null, [encoding!]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new LintFile(path, name, "", null, [], false, false, null, [MigrationProblems.UnreadableFile(path, ex.Message)]);
        }
        DateTime? timestamp = MigrationName.TryParse(name, out var stamp, out var slug, out var nameProblem) ? stamp : null;
        if (nameProblem is not null) problems.Add(nameProblem with { File = path });
        var parsed = MigrationParser.Parse(path, name, stamp, slug.Length > 0 ? slug : Path.GetFileNameWithoutExtension(name), text, problems);
        if (parsed is not null)
        {
            var documents = new List<IDisposable>();
            return new LintFile(path, name, text, timestamp, Statements(parsed.Up.Statements, parsed.Up.Text, documents), parsed.Down is not null, parsed.Irreversible,
                parsed.HasDescription ? parsed.Description : null, problems) { Documents = documents };
        }
        // A file up would refuse is still linted: the statements of what looks like its up section.
        var markers = MigrationMarkers.Find(path, text, []);
        var upLine = markers.FirstOrDefault(m => m.Kind == SectionKind.Up)?.Line ?? 0;
        var nextLine = markers.Where(m => m.Line > upLine).Select(m => m.Line).DefaultIfEmpty(int.MaxValue).Min();
        var lines = text.Split('\n');
        var upText = string.Join('\n', lines.Skip(upLine).Take(Math.Min(lines.Length, nextLine - 1) - upLine));
        var kept = new List<IDisposable>();
        return new LintFile(path, name, text, timestamp, Statements(SqlSplitter.Split(upText, upLine + 1).Statements, upText, kept), false, false, null, problems)
        {
            Documents = kept,
        };
    }

    private List<LintStatement> Statements(IReadOnlyList<SqlStatement> statements, string source, List<IDisposable> documents)
    {
        var trees = ParseTrees.ParseSection(statements, source, documents, Parsing);
        var read = new List<LintStatement>(statements.Count);
        for (var i = 0; i < statements.Count; i++)
        {
            var statement = new LintStatement(statements[i], trees[i].Node, source) { Rejection = trees[i].Rejection, Plpgsql = trees[i].Plpgsql };
            if (statement.NodeType == "DoStmt") statement.Nested = NestedStatements.Of(statement, documents);
            read.Add(statement);
        }
        return read;
    }
}
