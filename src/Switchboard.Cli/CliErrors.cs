namespace Switchboard.Cli;

/// <summary>The CLI's one-line error convention: <c>switchboard: message</c> on stderr and a non-zero exit.</summary>
internal static class CliErrors
{
    /// <summary>Exit code for a usage error (bad arguments).</summary>
    public const int Usage = 2;

    /// <summary>Exit code for a failure (registry unreachable, request refused, not found).</summary>
    public const int Failure = 1;

    public static int Fail(string message, int exitCode = Failure)
    {
        Console.Error.WriteLine($"switchboard: {Output.TerminalText.Escape(message)}");
        return exitCode;
    }
}

/// <summary>A failure to report as one line and exit with.</summary>
internal sealed class CliException(string message, int exitCode = CliErrors.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
