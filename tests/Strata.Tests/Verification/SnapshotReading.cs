using Strata.Database;
using Strata.Tests.Support;
using Strata.Verification;

namespace Strata.Tests.Verification;

/// <summary>Reads a test database's snapshot over a session of its own.</summary>
internal static class SnapshotReading
{
    public static async Task<SchemaSnapshot> ReadAsync(TestDatabase db, SnapshotOptions? options = null)
    {
        await using var session = await DatabaseSession.OpenAsync(db.Target);
        return await SchemaSnapshot.ReadAsync(session.Connection, options ?? SnapshotOptions.Default, CancellationToken.None);
    }
}
