using System.Globalization;
using static Switchboard.Cli.Tests.Agent.AgentFiles;

namespace Switchboard.Cli.Tests.Agent;

/// <summary>The real agent over damaged, torn, read-only and unwritable data directories.</summary>
public sealed class AgentDataDirectoryTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "sb-datadir-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
            Directory.Delete(_dataDir, recursive: true);
    }

    private async Task RegisterPortsAsync(params int[] ports)
    {
        await using var agent = await AgentProcess.StartAsync("--data-dir", _dataDir);
        foreach (var port in ports)
        {
            using var response = await RegisterAsync(agent.Client, Registration("orders", port));
            Assert.True(response.IsSuccessStatusCode);
        }
        await agent.KillAsync();
    }

    [Fact]
    public async Task TornTail_ThenAnAcknowledgedWrite_ThenRestart_KeepsEveryAcknowledgedWrite()
    {
        await RegisterPortsAsync(1, 2);
        await File.AppendAllTextAsync(NewestSegment(_dataDir), "1234abcd {\"i\":3,\"put\":{\"instance_id\":\"orders-127.0.0.1-9\",\"serv",
            TestContext.Current.CancellationToken); // what kill -9 mid-write leaves

        await RegisterPortsAsync(3); // answered 2xx after the start that found the torn tail
        await using var restarted = await AgentProcess.StartAsync("--data-dir", _dataDir);

        Assert.Equal([1, 2, 3], (await PortsAsync(restarted.Client, "orders")).Order());
    }

    [Fact]
    public async Task FlippedByteInAMiddleRecord_RefusedWithTheOffset_AndRecoverStartsAndSaysWhatItDropped()
    {
        await RegisterPortsAsync(1, 2, 3);
        var segment = NewestSegment(_dataDir);
        var bytes = await File.ReadAllBytesAsync(segment, TestContext.Current.CancellationToken);
        var second = OffsetOfLine(bytes, 2);
        bytes[second + 50] ^= 0x02;
        await File.WriteAllBytesAsync(segment, bytes, TestContext.Current.CancellationToken);

        var refused = await AgentProcess.RunToExitAsync(["--data-dir", _dataDir]);
        var line = AssertOneLineFailure(refused);
        Assert.Contains($"{segment}: corrupt record at offset {second.ToString(CultureInfo.InvariantCulture)} (checksum mismatch", line, StringComparison.Ordinal);

        await using var recovered = await AgentProcess.StartAsync("--data-dir", _dataDir, "--recover");
        Assert.Contains(recovered.Lines, l => l.Contains("dropped the corrupt record at offset " + second.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Assert.Contains(recovered.Lines, l => l.Contains("dropped 1 corrupt records", StringComparison.Ordinal));
        Assert.Equal([1, 3], (await PortsAsync(recovered.Client, "orders")).Order());
    }

    [Fact]
    public async Task SnapshotWithAChangedByte_RefusedWithOneLine_AndRecoverStartsFromTheJournalSayingSo()
    {
        var compactSoon = new Dictionary<string, string> { ["Switchboard__Store__Embedded__CompactAfterRecords"] = "100" };
        await using (var agent = await AgentProcess.StartAsync(["--data-dir", _dataDir], new AgentProcess.Options { Environment = compactSoon }))
        {
            for (var port = 1; port <= 110; port++)
            {
                using var response = await RegisterAsync(agent.Client, Registration("orders", port));
                Assert.True(response.IsSuccessStatusCode);
            }
            await Eventually.UntilAsync(() => Task.FromResult(File.Exists(Path.Combine(_dataDir, "snapshot.json"))), exists => exists, "the snapshot");
            await Eventually.UntilAsync(() => Task.FromResult(Directory.GetFiles(_dataDir, "journal-*.log").Length), n => n == 1, "the compacted segment to be deleted");
            await agent.KillAsync();
        }
        var snapshot = Path.Combine(_dataDir, "snapshot.json");
        var text = await File.ReadAllTextAsync(snapshot, TestContext.Current.CancellationToken);
        Assert.Contains("\"port\":42,", text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(snapshot, text.Replace("\"port\":42,", "\"port\":43,", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var line = AssertOneLineFailure(await AgentProcess.RunToExitAsync(["--data-dir", _dataDir]));

        Assert.Contains($"{snapshot}: corrupt record at offset 0 (snapshot checksum mismatch", line, StringComparison.Ordinal);

        await using var recovered = await AgentProcess.StartAsync("--data-dir", _dataDir, "--recover");
        Assert.Contains(recovered.Lines, l => l.Contains($"RECOVER: the snapshot {snapshot} is corrupt", StringComparison.Ordinal));
        Assert.Equal(Enumerable.Range(101, 10), (await PortsAsync(recovered.Client, "orders")).Order()); // the journal after the snapshot
        Assert.True(File.Exists(snapshot + ".damaged"));
    }

    [Fact]
    public async Task ReadOnlyDataDirectory_OneLineNamingThePath_NeverInUse()
    {
        var (mount, reason) = await TmpfsMount.TryMountAsync("ro");
        if (mount is null)
            Assert.Skip(reason);
        await using (mount)
        {
            foreach (var dir in new[] { mount.Path, Path.Combine(mount.Path, "data") })
            {
                var line = AssertOneLineFailure(await AgentProcess.RunToExitAsync(["--data-dir", dir]));
                Assert.Contains(dir, line, StringComparison.Ordinal);
                Assert.Contains("Read-only file system", line, StringComparison.Ordinal);
                Assert.DoesNotContain("in use by another", line, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task UnwritablePath_OneLineNamingThePath_NeverInUse()
    {
        Directory.CreateDirectory(_dataDir);
        var file = Path.Combine(_dataDir, "a-file");
        await File.WriteAllTextAsync(file, "", TestContext.Current.CancellationToken);

        foreach (var dir in new[] { file, Path.Combine(file, "data") })
        {
            var line = AssertOneLineFailure(await AgentProcess.RunToExitAsync(["--data-dir", dir]));
            Assert.Contains(dir, line, StringComparison.Ordinal);
            Assert.DoesNotContain("in use by another", line, StringComparison.Ordinal);
        }
    }
}
