using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Switchboard.LoadHarness;

/// <summary>
/// Writes into the run's redis-server, through <c>redis-cli --pipe</c>, the keys an agent on Redis holds after
/// registrations of the harness's shape (services of 10 instances, 1 h leases): the same keys and fields
/// <c>RedisScripts.Put</c> writes (<c>{ns}:instance:&lt;id&gt;</c> with record, index, created, service, at, lease;
/// <c>{ns}:versions</c>, <c>{ns}:services</c>, <c>{ns}:index</c>). A million registrations through one agent on Redis do
/// not complete on a 2-core machine (Redis time-outs), so the scale section seeds its largest sizes this way to measure
/// what a replica does with them.
/// </summary>
internal static class RedisSeed
{
    /// <summary>Seeds <paramref name="size"/> instances named <c>{prefix}-N</c> in <paramref name="ns"/>.</summary>
    public static async Task SeedAsync(RedisServer redis, string ns, int size, string prefix)
    {
        var info = new ProcessStartInfo("redis-cli") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-p", redis.Port.ToString(CultureInfo.InvariantCulture), "--pipe" })
            info.ArgumentList.Add(a);
        var process = PeerProcesses.Start(info);
        try
        {
            await PipeAsync(process, ns, size, prefix);
        }
        finally
        {
            PeerProcesses.Stop(process);
        }
    }

    private static async Task PipeAsync(Process process, string ns, int size, string prefix)
    {
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        var keys = "{" + ns + "}:";
        var now = DateTimeOffset.UtcNow;
        var at = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var lease = (now.ToUnixTimeMilliseconds() + 3_600_000).ToString(CultureInfo.InvariantCulture);
        var registeredAt = now.ToString("o", CultureInfo.InvariantCulture);
        await using (var input = new BufferedStream(process.StandardInput.BaseStream, 1 << 20)) // disposing it closes redis-cli's input: the end of the commands
        {
            for (var i = 0; i < size; i++)
            {
                var (id, service, index) = ($"{prefix}-{i}", $"{prefix}-{i / 10}", (i + 1).ToString(CultureInfo.InvariantCulture));
                var host = $"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}";
                var record = $$"""{"instance_id":"{{id}}","service_name":"{{service}}","host":"{{host}}","port":8080,"protocol":"http","path":"","base_url":"http://{{host}}:8080","tags":["api","v1"],"metadata":{"zone":"a"},"version":"1.0.0","weight":1,"zone":"","status":"passing","ttl":"1h0m0s","checks":[],"output":"","registered_at":"{{registeredAt}}","create_index":{{index}},"modify_index":{{index}}}""";
                Command(input, "HSET", keys + "instance:" + id, "record", record, "index", index, "created", index, "service", service, "at", at, "lease", lease);
                Command(input, "ZADD", keys + "versions", index, id);
                if (i % 10 == 9 || i == size - 1)
                    Command(input, "HSET", keys + "services", service, index);
            }
            Command(input, "SET", keys + "index", size.ToString(CultureInfo.InvariantCulture));
        }
        await process.WaitForExitAsync();
        var said = await output;
        if (process.ExitCode != 0 || !said.Contains("errors: 0", StringComparison.Ordinal))
            throw new InvalidOperationException($"redis-cli --pipe failed (exit {process.ExitCode}): {said} {await errors}");
    }

    /// <summary>One command in the Redis protocol.</summary>
    private static void Command(Stream output, params string[] args)
    {
        var text = new StringBuilder().Append('*').Append(args.Length).Append("\r\n");
        foreach (var arg in args)
            text.Append('$').Append(Encoding.UTF8.GetByteCount(arg)).Append("\r\n").Append(arg).Append("\r\n");
        output.Write(Encoding.UTF8.GetBytes(text.ToString()));
    }
}
