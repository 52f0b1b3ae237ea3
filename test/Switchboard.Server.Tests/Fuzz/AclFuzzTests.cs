using System.Net.Http.Headers;
using System.Text.Json;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Registry.Acl;

namespace Switchboard.Server.Tests.Fuzz;

/// <summary>Fuzzing of the <c>/v1/acl</c> writes with ACLs on and a management token: never a 5xx, a refused write changes nothing.</summary>
public sealed class AclFuzzTests
{
    private static int Iterations
        => int.TryParse(Environment.GetEnvironmentVariable("SWITCHBOARD_FUZZ_ITERATIONS"), out var n) && n > 0 ? n : 2_000;

    [Fact]
    public async Task AclWrites_NeverAServerError_ARefusalChangesNothing()
    {
        await using var host = await FuzzHost.StartAsync(acl: true);
        var acl = host.Services.GetRequiredService<AclService>();
        using (var bootstrap = await host.Client.PutAsync("/v1/acl/bootstrap", null))
            host.Client.DefaultRequestHeaders.Add("X-Consul-Token", JsonDocument.Parse(await bootstrap.Content.ReadAsStringAsync()).RootElement.GetProperty("SecretID").GetString());
        var (accepted, refused) = (0, 0);
        await Gen.Select(FuzzInputs.AclBody, FuzzInputs.RouteAndQuery, Gen.Int[0, 3]).SampleAsync(async input =>
        {
            var (body, (segment, query), route) = input;
            var path = route switch
            {
                0 => "/v1/acl/policy",
                1 => "/v1/acl/token",
                2 => $"/v1/acl/policy/{segment}",
                _ => $"/v1/acl/token/{segment}",
            };
            var before = acl.Version;
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await host.Client.PutAsync($"{path}?{query}", content);
            var status = (int)response.StatusCode;
            Assert.True(status < 500, $"PUT {path}: {status} {await response.Content.ReadAsStringAsync()}");
            if (status >= 400)
            {
                refused++;
                Assert.Equal(before, acl.Version);
            }
            else
            {
                accepted++;
            }
        }, iter: Iterations, threads: 1);
        TestContext.Current.SendDiagnosticMessage($"ACL writes: {Iterations:N0} inputs, {accepted:N0} accepted, {refused:N0} refused, 0 server errors");
    }
}
