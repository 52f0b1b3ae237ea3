using System.Net.Sockets;

namespace Switchboard.Client.Internal;

/// <summary>Says why a request got no answer, in the words of its cause rather than of its wrapper.</summary>
internal static class TransportErrors
{
    /// <summary>
    /// The socket error with the endpoint (<c>connection refused (127.0.0.1:8500)</c>) when a socket error caused
    /// <paramref name="exception"/>; else its message followed by its causes'. <c>HttpClient</c> often says only
    /// "An error occurred while sending the request." and leaves the cause (a reset, a refusal) to its inner exceptions.
    /// </summary>
    public static string Describe(Exception exception, Uri? target)
    {
        if (SocketErrorOf(exception) is { } socket)
            return target is null ? Lower(socket.Message) : $"{Lower(socket.Message)} ({target.Host}:{target.Port})";
        var message = exception.Message;
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (!message.Contains(e.Message, StringComparison.Ordinal))
                message = $"{message} ({e.Message})";
        }
        return message;
    }

    /// <summary>The socket error that caused <paramref name="exception"/> (itself or one of its inner exceptions), or null.</summary>
    public static SocketException? SocketErrorOf(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket)
                return socket;
        }
        return null;
    }

    private static string Lower(string message) =>
        message.Length > 1 && char.IsUpper(message[0]) && !char.IsUpper(message[1])
            ? char.ToLowerInvariant(message[0]) + message[1..]
            : message;
}
