using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Switchboard.Instances;

namespace Switchboard.Client.Tests.TestSupport;

internal static class EchoServer
{
    /// <summary>A Kestrel server that answers every path with "port:path?query".</summary>
    public static Task<TestServer> StartAsync() =>
        TestServer.StartAsync(app => app.Map("/{**path}", (HttpContext c) => $"{c.Connection.LocalPort}:{c.Request.Path}{c.Request.QueryString}"));

    public static ServiceInstance Instance(string service, TestServer server, string path = "") => new()
    {
        InstanceId = $"{service}-{server.BaseUri.Port}",
        ServiceName = service,
        Host = "127.0.0.1",
        Port = server.BaseUri.Port,
        Path = path,
    };
}
