using System.Diagnostics;

namespace Switchboard.Client.Calls;

/// <summary>New <c>X-Request-ID</c> values.</summary>
public static class RequestIds
{
    /// <summary>
    /// A new request id: 32 lowercase hex digits (128 random bits, the shape of <c>Guid.ToString("N")</c> and of a W3C
    /// trace id).
    /// </summary>
    /// <remarks>
    /// Request ids correlate logs; they are not secrets. They come from a fast per-thread generator rather than
    /// <see cref="Guid.NewGuid"/>, whose cryptographic randomness is a system call that cost 1.5-3 µs per call on the
    /// virtual machines we measured: more than the rest of the client pipeline.
    /// </remarks>
    public static string New() => ActivityTraceId.CreateRandom().ToHexString();
}
