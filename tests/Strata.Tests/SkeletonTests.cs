namespace Strata.Tests;

public class SkeletonTests
{
    [Fact]
    public void Problem_location_names_file_line_and_column() =>
        Assert.Equal("a.sql:3:7: ", new Problem(ProblemKind.BadInput, "x", "m", "a.sql", 3, 7).Location);
}
