using System.Diagnostics;

namespace Switchboard.LoadHarness;

/// <summary>nginx (Debian's package) as a reverse proxy in front of the backends: the extra hop seed 001 removed.</summary>
internal sealed class Nginx : IDisposable
{
    private readonly Process _process;
    private readonly string _prefix;

    private Nginx(Process process, string prefix, Uri address)
    {
        _process = process;
        _prefix = prefix;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Starts nginx with its configuration and logs in <paramref name="prefix"/> (deleted on dispose).</summary>
    public static async Task<Nginx> StartAsync(string prefix, IEnumerable<Uri> backends)
    {
        Directory.CreateDirectory(Path.Combine(prefix, "logs"));
        var port = PeerProcesses.FreePort();
        var servers = string.Join("\n", backends.Select(b => $"    server {b.Host}:{b.Port};"));
        var config = $$"""
            worker_processes 1;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/logs/error.log warn;
            events { worker_connections 4096; }
            http {
              access_log off;
              upstream backends {
            {{servers}}
                keepalive 64;
              }
              server {
                listen 127.0.0.1:{{port}};
                location / {
                  proxy_pass http://backends;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                }
              }
            }
            """;
        var configPath = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(configPath, config);
        var info = new ProcessStartInfo("nginx") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in new[] { "-p", prefix, "-c", configPath, "-g", "daemon off;" })
            info.ArgumentList.Add(a);
        var process = PeerProcesses.Start(info);
        var nginx = new Nginx(process, prefix, new Uri($"http://127.0.0.1:{port}"));
        if (await PeerProcesses.AnswersAsync(new Uri(nginx.Address, "/ping")))
            return nginx;
        nginx.Dispose();
        throw new InvalidOperationException("nginx did not start");
    }

    /// <summary>The version nginx reports, e.g. 1.22.1.</summary>
    public static string Version() => Tools.FirstLine("nginx", "-v").Replace("nginx version: nginx/", "", StringComparison.Ordinal);

    public void Dispose()
    {
        PeerProcesses.Stop(_process);
        if (Directory.Exists(_prefix))
            Directory.Delete(_prefix, true);
    }
}
