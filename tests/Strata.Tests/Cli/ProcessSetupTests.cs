using System.Text;
using Strata.Cli;

namespace Strata.Tests.Cli;

/// <summary>What the native binary's Program does before it runs a command: its process-wide settings must not leak or lose output.</summary>
public class ProcessSetupTests
{
    private const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    [Fact]
    public void The_socket_switch_is_gone_from_the_environment_children_would_inherit_and_a_users_own_value_is_kept()
    {
        var before = Environment.GetEnvironmentVariable(InlineCompletions);
        try
        {
            Environment.SetEnvironmentVariable(InlineCompletions, null);
            SocketCompletions.RunInline();
            Environment.GetEnvironmentVariable(InlineCompletions).Should().BeNull();

            Environment.SetEnvironmentVariable(InlineCompletions, "0");
            SocketCompletions.RunInline();
            Environment.GetEnvironmentVariable(InlineCompletions).Should().Be("0");
        }
        finally
        {
            Environment.SetEnvironmentVariable(InlineCompletions, before);
        }
    }

    [Fact]
    public void Standard_output_to_a_pipe_gets_whole_lines_as_they_end_and_the_rest_on_flush()
    {
        using var stream = new MemoryStream();
        var writer = new LineFlushingWriter(stream);

        writer.Write("applied");
        writer.Write(" 20251001000000_a.sql ");
        stream.Length.Should().Be(0, "a line is written when it ends");
        writer.Write("(4 ms)\n");
        Encoding.UTF8.GetString(stream.ToArray()).Should().Be("applied 20251001000000_a.sql (4 ms)\n");
        writer.WriteLine("é ✓");
        writer.Write("no newline yet");
        writer.Flush();

        Encoding.UTF8.GetString(stream.ToArray()).Should().Be("applied 20251001000000_a.sql (4 ms)\né ✓\nno newline yet");
        stream.ToArray().Take(3).Should().NotEqual(new byte[] { 0xEF, 0xBB, 0xBF }, "no byte-order mark");
    }
}
