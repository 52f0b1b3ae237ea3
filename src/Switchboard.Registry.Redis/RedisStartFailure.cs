using System.Security.Authentication;
using StackExchange.Redis;

namespace Switchboard.Registry.Redis;

/// <summary>Names, in a few words with a hint, why the first connection to Redis failed.</summary>
internal static class RedisStartFailure
{
    private const string BadCredentials = "authentication failed (check user= and password= in the connection string)";

    /// <param name="ex">What StackExchange.Redis reported.</param>
    /// <param name="tls">Whether the connection string turns TLS on.</param>
    public static string Describe(RedisConnectionException ex, bool tls)
    {
        if (ex.Message.Contains("WRONGPASS", StringComparison.Ordinal) || ex.Message.Contains("NOAUTH", StringComparison.Ordinal))
            return BadCredentials;
        // StackExchange.Redis reports a failed TLS handshake as an authentication failure.
        if (tls && ex.FailureType == ConnectionFailureType.AuthenticationFailure)
            return TlsFailure(ex);
        return ex.FailureType switch
        {
            ConnectionFailureType.AuthenticationFailure => BadCredentials,
            ConnectionFailureType.UnableToResolvePhysicalConnection or ConnectionFailureType.UnableToConnect or ConnectionFailureType.SocketFailure
                or ConnectionFailureType.SocketClosed => tls
                    ? "nothing answered (is Redis running there, and is the port right?)"
                    : "nothing answered (is Redis running there, and is the port right? If it serves TLS, add ssl=true)",
            _ => ex.FailureType.ToString(),
        };
    }

    private static string TlsFailure(Exception ex)
    {
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException { Message: var message } && message.Contains("certificate", StringComparison.OrdinalIgnoreCase))
            {
                return "the TLS handshake failed: the server's certificate is not trusted (pass the CA that issued it with --redis-ca or "
                    + RedisStoreOptions.SectionName + ":" + nameof(RedisStoreOptions.TrustedCaFile) + ", and check that sslHost= names the server)";
            }
        }
        var reason = ex.InnerException?.Message.Split('\n')[0].TrimEnd('.', ' ', '\r');
        return "the TLS handshake failed (does the server serve TLS on that port?)" + (reason is { Length: > 0 } ? ": " + reason : "");
    }
}
