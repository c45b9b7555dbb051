namespace Strata.Migrations;

/// <summary>
/// Every problem a migration folder or file can have, each made in one place so the same
/// mistake always reads the same (STYLE habit 6). All are bad input: nothing was attempted.
/// </summary>
internal static class MigrationProblems
{
    private const string NameRule = "Migration files are named YYYYMMDDHHMMSS_snake_case_description.sql (UTC).";

    public static Problem InvalidFileName(string fileName) => new(ProblemKind.BadInput, "invalid-file-name",
        $"'{fileName}' does not follow the naming rule.", fileName,
        Hint: $"{NameRule} Rename it, e.g. with 'strata new NAME' to get a fresh timestamp.");

    public static Problem InvalidTimestamp(string fileName) => new(ProblemKind.BadInput, "invalid-timestamp",
        $"the 14 digits of '{fileName}' are not a real date-time (YYYYMMDDHHMMSS).", fileName,
        Hint: "Use the UTC time the migration was written, e.g. 20251002143000.");

    public static Problem DuplicateTimestamp(string first, string second) => new(ProblemKind.BadInput, "duplicate-timestamp",
        $"'{first}' and '{second}' share the timestamp {first[..14]}, so their order is undefined.", second,
        Hint: "Give one of them a later timestamp (rename the file).");

    public static Problem MisnamedFile(string fileName, string location) => new(ProblemKind.BadInput, "misnamed-sql-file",
        $"'{fileName}' looks like a migration, but only names ending in '.sql' (lower case, nothing after it) are read, so it would be skipped.", location,
        Hint: $"Rename it to '{fileName.TrimEnd(' ', '\t', '.')[..^4]}.sql'; if it is not a migration, move it out of the folder or add a suffix such as .bak.");

    public static Problem DanglingSymlink(string path, string target) => new(ProblemKind.BadInput, "dangling-symlink",
        $"the file is a symbolic link to '{target}', which does not exist (or is a loop of links).", path,
        Hint: "Point the link at the migration file, or delete the link.");

    public static Problem NotARegularFile(string path, string kind) => new(ProblemKind.BadInput, "not-a-regular-file",
        $"the entry is {kind}, not a regular file, so Strata does not read it as a migration.", path,
        Hint: "Replace it with the migration file itself, or move it out of the folder (names ending in .sql are read as migrations).");

    public static Problem UnreadableFile(string path, string reason) => new(ProblemKind.BadInput, "unreadable-file",
        $"the file cannot be read: {reason}", path,
        Hint: "Give the user running Strata read access to it (e.g. chmod a+r), or move it out of the folder.");

    public static Problem NotUtf8(string path, int line, int byteOffset) => new(ProblemKind.BadInput, "not-utf8",
        $"the file is not valid UTF-8 (first invalid byte at offset {byteOffset}).", path, line,
        Hint: "Re-save it as UTF-8 (e.g. iconv -f latin1 -t utf-8).");

    public static Problem NulByte(string path, int line, int column) => new(ProblemKind.BadInput, "nul-byte",
        "the file contains a NUL byte (0x00), which PostgreSQL refuses in SQL text.", path, line, column,
        Hint: "Remove it (a text value cannot hold a NUL; a bytea can, written '\\x00'::bytea). A file with a NUL after every character is UTF-16: re-save it as UTF-8.");

    public static Problem EmptyUp(string path, int line) => new(ProblemKind.BadInput, "empty-up-section",
        "the up section has no SQL statement.", path, line,
        Hint: "Write the change below '-- migrate:up', or delete the file.");

    public static Problem UnknownMarkerOption(string path, int line, int column, string option) => new(ProblemKind.BadInput, "unknown-marker-option",
        $"unknown marker option '{option}'.", path, line, column,
        Hint: "Known options: transaction:false, transaction:true, lock_timeout:5s, statement_timeout:30min, long_tx:2s (or long_tx:off) on '-- migrate:up', and 'irreversible' on '-- migrate:down'.");

    public static Problem BadMarkerValue(string path, int line, int column, string option) => new(ProblemKind.BadInput, "bad-marker-value",
        $"marker option '{option}' has an invalid value.", path, line, column,
        Hint: "transaction takes true or false; timeouts take a PostgreSQL duration such as 500ms, 5s, 2min, 1h (with a unit); long_tx takes such a duration above zero, or off.");

    public static Problem DuplicateMarker(string path, int line, string marker) => new(ProblemKind.BadInput, "duplicate-marker",
        $"'-- migrate:{marker}' appears a second time.", path, line,
        Hint: "A file has at most one up, one down and one verify section.");

    // Read as a comment, a near-miss marker would run the SQL below it as part of the section
    // above: a misspelt '-- migrate:down' applies the rollback right after the change.
    private const string NearMissEffect = "read as a comment it would start no section, and the SQL below it would run as part of the one before.";

    public static Problem MalformedMarker(string path, int line, int column, string comment, string? suggestion, bool indented) => new(ProblemKind.BadInput, "malformed-marker",
        $"'{comment}' looks like a section marker but is not one: {NearMissEffect}", path, line, column,
        Hint: suggestion is null
            ? "The markers are '-- migrate:up', '-- migrate:down' and '-- migrate:verify', in lower case at the start of a line; if this is a comment, reword it so it does not start with 'migrate:'."
            : $"Write it exactly as '{suggestion}'{(indented ? " at the start of the line" : "")} (lower case, no space around the colon).");

    public static Problem MisplacedMarker(string path, int line, int column, string comment, bool followsCode) => new(ProblemKind.BadInput, "misplaced-marker",
        $"'{comment}' {(followsCode ? "follows SQL on the same line" : "is indented")}, and a marker counts only at the start of its line: {NearMissEffect}", path, line, column,
        Hint: $"Put '{comment}' on a line of its own, starting at column 1.");

    public static Problem ForeignMarker(string path, int line, int column, string comment, string tool, string hint) => new(ProblemKind.BadInput, "foreign-marker",
        $"'{comment}' is a {tool} annotation, which Strata does not read: {NearMissEffect}", path, line, column,
        Hint: hint);

    public static Problem DownBeforeUp(string path, int line) => new(ProblemKind.BadInput, "down-before-up",
        "'-- migrate:down' comes before '-- migrate:up'.", path, line,
        Hint: "Put the up section first, then the down section.");

    // The verify section is checked after up and re-apply: above up it would be read as part of
    // another section, and above down its queries would be stored and run as rollback SQL.
    private const string SectionOrder = "The sections go in this order: '-- migrate:up', then '-- migrate:down' (if any), then '-- migrate:verify' last.";

    public static Problem VerifyBeforeUp(string path, int line, bool upMissing) => new(ProblemKind.BadInput, "verify-before-up",
        upMissing
            ? "'-- migrate:verify' appears in a file without '-- migrate:up'; the verify section checks what up did, so it needs one."
            : "'-- migrate:verify' comes before '-- migrate:up'.", path, line,
        Hint: upMissing ? $"Add '-- migrate:up' above the change. {SectionOrder}" : $"Move the verify section below the up section. {SectionOrder}");

    public static Problem VerifyBeforeDown(string path, int line, int downLine) => new(ProblemKind.BadInput, "verify-before-down",
        $"'-- migrate:verify' comes before '-- migrate:down' (line {downLine}).", path, line,
        Hint: $"Move the verify section below the down section. {SectionOrder}");

    public static Problem VerifyMarkerOption(string path, int line, int column, string option) => new(ProblemKind.BadInput, "verify-marker-option",
        $"'-- migrate:verify' takes no options, and '{option}' is written on it.", path, line, column,
        Hint: "Remove it: verify queries always run in one transaction that is rolled back, under the run's lock_timeout and statement_timeout.");

    public static Problem TransactionControlInVerify(string path, int line, int column, string verb) => new(ProblemKind.BadInput, "transaction-control-in-verify",
        $"'{verb}' in the verify section would end the transaction its queries run in, and that transaction is rolled back so that verifying changes nothing.", path, line, column,
        Hint: "Remove it; write only queries (a SELECT that returns true when the change is in place).");

    public static Problem NotAllowedInVerify(string path, int line, int column, string verb) => new(ProblemKind.BadInput, "not-allowed-in-verify",
        $"'{verb}' cannot run inside a transaction block, and the verify section runs in one transaction that is rolled back.", path, line, column,
        Hint: "Move the statement to the up section; write only queries in the verify section (a SELECT that returns true when the change is in place).");

    public static Problem SqlBeforeUp(string path, int line) => new(ProblemKind.BadInput, "sql-before-up-marker",
        "SQL appears before '-- migrate:up' and would never run.", path, line,
        Hint: "Move it below the '-- migrate:up' marker (only comments may precede it).");

    public static Problem IrreversibleWithSql(string path, int line) => new(ProblemKind.BadInput, "irreversible-with-sql",
        "the down section is declared irreversible but contains SQL.", path, line,
        Hint: "Either remove 'irreversible' or remove the SQL below it.");

    public static Problem BadRevertsLine(string path, int line, string comment) => new(ProblemKind.BadInput, "bad-reverts-line",
        $"'{comment}' is not a valid reverts line (only one per file, exactly '-- strata:reverts VERSION' with VERSION a migration file name).", path, line, 1,
        Hint: "Write it as 'rollback --as-migration' does, e.g. '-- strata:reverts 20251002143000_add_tool_calls.sql', or remove the line.");

    public static Problem Syntax(string path, int line, int column, string message) => new(ProblemKind.BadInput, "sql-syntax",
        message, path, line, column);

    public static Problem TransactionControl(string path, int line, int column, string verb) => new(ProblemKind.BadInput, "transaction-control",
        $"'{verb}' inside a migration would end the transaction Strata runs it in, and with it the atomic history record.", path, line, column,
        Hint: "Remove BEGIN/COMMIT (each migration already runs in one transaction), or mark the file '-- migrate:up transaction:false' to manage transactions yourself.");

    public static Problem ForcedTransaction(string path, int line, int column, string verb) => new(ProblemKind.BadInput, "not-allowed-in-transaction",
        $"the file asks for transaction:true but '{verb}' cannot run inside a transaction block.", path, line, column,
        Hint: "Remove transaction:true (Strata then runs such files statement by statement), or move the statement to a file of its own.");

    public static Problem SessionReset(string path, int line, int column, string statement, string why) => new(ProblemKind.BadInput, "session-reset",
        $"'{statement}' {why}.", path, line, column,
        Hint: "Remove it: every migration already starts from a clean session (Strata resets settings and role between files), and settings a file sets with SET LOCAL or SET end with it.");

    public static Problem MissingFolder(string path) => new(ProblemKind.BadInput, "missing-migrations-folder",
        $"the migrations folder '{path}' does not exist.", Hint: "Run 'strata init', or point --dir (or [migrations] dir in strata.toml) at the folder.");

    public static Problem NoEmbeddedMigrations(string source) => new(ProblemKind.BadInput, "no-embedded-migrations",
        $"no resource matches {source}.", Hint: "Embed the files (<EmbeddedResource Include=\"Migrations/*.sql\" />) and pass the resource prefix, e.g. \"MyApp.Migrations.\".");

    public static Problem NotAFolder(string source) => new(ProblemKind.BadInput, "not-a-folder",
        $"new migrations are written to a folder, and the migrations come from {source}.", Hint: "Run 'strata new' on the project's migrations folder (--dir).");

    public static Problem BadName(string name) => new(ProblemKind.BadInput, "bad-migration-name",
        $"the name '{name}' has no letters or digits.", Hint: "Describe the change, e.g. strata new add_email_to_users.");

    public static Problem NameTooLong(string slug) => new(ProblemKind.BadInput, "migration-name-too-long",
        $"the name makes a {slug.Length}-character file name slug ('{slug[..40]}...'); new migrations are limited to {MigrationName.MaxNewSlugLength} so the file name fits every file system and the version stays readable.",
        Hint: "Name the change in a few words (e.g. strata new add_email_to_users) and put the details in the file's first comment line.");

    public static Problem CannotWriteMigration(string path, string reason) => new(ProblemKind.BadInput, "cannot-write-migration",
        $"the new migration cannot be written: {reason}", path,
        Hint: "Check that the migrations folder (--dir, or [migrations] dir in strata.toml) is a writable folder.");

    public static Problem UnknownVersion(string version) => new(ProblemKind.BadInput, "unknown-version",
        $"no migration file is named '{version}'.", Hint: "Give the full file name or its 14-digit timestamp; 'strata status' lists them.");
}
