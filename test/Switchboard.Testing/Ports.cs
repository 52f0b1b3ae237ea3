using System.Net;
using System.Net.Sockets;

namespace Switchboard.Testing;

/// <summary>Loopback ports for tests.</summary>
public static class Ports
{
    /// <summary>A loopback port that nothing listens on (bound, read, released).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
