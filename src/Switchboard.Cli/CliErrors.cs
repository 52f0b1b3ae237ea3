using System.Reflection;

namespace Switchboard.Cli;

/// <summary>The CLI's one-line error convention: <c>switchboard: message</c> on stderr and a non-zero exit.</summary>
internal static class CliErrors
{
    /// <summary>Exit code for a usage error (bad arguments).</summary>
    public const int Usage = 2;

    /// <summary>Exit code for a failure (registry unreachable, request refused, not found).</summary>
    public const int Failure = 1;

    /// <summary>Exit code after Ctrl-C (128 + SIGINT), as shells expect.</summary>
    public const int Interrupted = 130;

    public static int Fail(string message, int exitCode = Failure)
    {
        Console.Error.WriteLine($"switchboard: {Output.TerminalText.Escape(message)}");
        return exitCode;
    }

    /// <summary>
    /// An exception as one line: its message, on one line, with the innermost cause when that says more (an
    /// exception the host wrapped); never a stack trace. Exceptions the store raises already name the path and the cause.
    /// </summary>
    public static string OneLine(Exception exception)
    {
        var inner = exception;
        while (inner is AggregateException { InnerExceptions.Count: 1 } or TargetInvocationException && inner.InnerException is not null)
            inner = inner.InnerException;
        var message = inner is IOException or UnauthorizedAccessException || inner == exception
            ? inner.Message
            : $"{exception.Message}: {inner.Message}";
        return string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}

/// <summary>A failure to report as one line and exit with.</summary>
internal sealed class CliException(string message, int exitCode = CliErrors.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
