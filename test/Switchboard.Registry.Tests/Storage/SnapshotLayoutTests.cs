using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using Switchboard.Instances;
using Switchboard.Registration;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Tests.Storage;

/// <summary>The snapshot's one-instance-per-line layout, its parallel reader and the direct instance reader: same results as the serializer, damaged data still refused.</summary>
public sealed class SnapshotLayoutTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sb-layout-" + Guid.NewGuid().ToString("N"));

    public SnapshotLayoutTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
            Directory.Delete(_dir, recursive: true);
    }

    private static ServiceInstance[] Instances() =>
    [
        CatalogFixture.Instance(port: 1, tags: ["web", "api"], version: "2.1.0", metadata: new() { ["zone"] = "b", ["az"] = "eu-1", ["team"] = "core" }) with
        {
            Zone = "eu", Weight = 3, Ttl = TimeSpan.FromSeconds(90), Status = HealthStatus.Warning, Output = "slow",
            RegisteredAt = new DateTimeOffset(2026, 12, 4, 22, 5, 5, TimeSpan.Zero).AddTicks(568032), CreateIndex = 3, ModifyIndex = 9,
        },
        CatalogFixture.Instance(port: 2, check: new HealthCheckSpec { Kind = HealthCheckKind.Ttl, Ttl = TimeSpan.FromSeconds(10), Id = "ttl-2" }),
        CatalogFixture.Instance(service: "payments", port: 3, host: "fe80::1") with { Path = "/api", Protocol = "https" },
    ];

    private static string Json(ServiceInstance instance) => JsonSerializer.Serialize(instance, JournalJsonContext.Default.ServiceInstance);

    private void WriteSnapshot(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        File.WriteAllText(Path.Combine(_dir, "snapshot.json"), $"{Crc32.HashToUInt32(bytes):x8} {json}\n");
    }

    [Fact]
    public void Snapshot_IsOneInstancePerLine_AndReadsBackFieldForField()
    {
        var instances = Instances();
        SnapshotFiles.Write(_dir, new SnapshotFile(SnapshotFiles.Format, 9, instances));

        var lines = File.ReadAllLines(Path.Combine(_dir, "snapshot.json"));
        var read = SnapshotFiles.Read(Path.Combine(_dir, "snapshot.json"));

        Assert.Equal(instances.Length + 2, lines.Length); // header, one line each, the closing line
        Assert.Equal("]}", lines[^1]);
        Assert.Equal(9, read.Index);
        Assert.Equal(instances.Select(Json), read.Instances.Select(Json));
        Assert.Equal(["zone", "az", "team"], read.Instances[0].Metadata.Keys); // the order given, which answers show
    }

    [Fact]
    public void EmptySnapshot_ReadsBack()
    {
        SnapshotFiles.Write(_dir, new SnapshotFile(SnapshotFiles.Format, 4, []));

        var read = SnapshotFiles.Read(Path.Combine(_dir, "snapshot.json"));

        Assert.Equal(4, read.Index);
        Assert.Empty(read.Instances);
    }

    [Fact]
    public void SnapshotOfThePreviousLayout_OneLine_StillLoads()
    {
        var instances = Instances();
        WriteSnapshot(JsonSerializer.Serialize(new SnapshotFile(SnapshotFiles.Format, 9, instances), JournalJsonContext.Default.SnapshotFile));

        var read = SnapshotFiles.Read(Path.Combine(_dir, "snapshot.json"));

        Assert.Equal(instances.Select(Json), read.Instances.Select(Json));
    }

    [Fact]
    public void ALineThatIsNotAnInstance_WithAValidChecksum_IsRefusedNamingTheFile()
    {
        WriteSnapshot("{\"format\":2,\"index\":2,\"instances\":[\n" + Json(Instances()[0]) + ",\n{\"instance_id\":7}\n]}");

        var ex = Assert.Throws<StoreCorruptException>(() => SnapshotFiles.Read(Path.Combine(_dir, "snapshot.json")));

        Assert.Equal(Path.Combine(_dir, "snapshot.json"), ex.FilePath);
        Assert.Contains("not valid JSON", ex.Reason, StringComparison.Ordinal);
    }

    private static ServiceInstance[] Many(int count) =>
        [.. Enumerable.Range(0, count).Select(i => CatalogFixture.Instance(service: "svc-" + (i / 7), port: 1000 + i) with { Output = i == 5 ? new string('x', 3000) : "" })];

    [Theory]
    [InlineData(64)] // smaller than every line: each part grows to hold one
    [InlineData(700)]
    [InlineData(SnapshotLines.DefaultChunkBytes)]
    public void StreamedRead_CutIntoParts_ReadsEveryInstanceInOrder(int chunkBytes)
    {
        var instances = Many(500);
        SnapshotFiles.Write(_dir, new SnapshotFile(SnapshotFiles.Format, 42, instances));

        var read = SnapshotLines.TryRead(Path.Combine(_dir, "snapshot.json"), chunkBytes);

        Assert.NotNull(read);
        Assert.Equal(42, read.Index);
        Assert.Equal(instances.Select(Json), read.Instances.Select(Json));
    }

    [Theory]
    [InlineData("a changed byte")]
    [InlineData("no final newline")]
    [InlineData("cut short")]
    [InlineData("a missing comma")]
    [InlineData("a comma after the last")]
    [InlineData("something after the end")]
    public void StreamedRead_DeclinesADamagedFile_AndTheWholeReadSaysWhy(string damage)
    {
        SnapshotFiles.Write(_dir, new SnapshotFile(SnapshotFiles.Format, 42, Many(300)));
        var path = Path.Combine(_dir, "snapshot.json");
        var text = File.ReadAllText(path);
        var json = text[9..^1];
        switch (damage)
        {
            case "a changed byte": File.WriteAllText(path, text.Replace("\"port\":1100", "\"port\":1101", StringComparison.Ordinal)); break;
            case "no final newline": File.WriteAllText(path, text[..^1]); break;
            case "cut short": File.WriteAllText(path, text[..(text.Length / 2)]); break;
            case "a missing comma": WriteSnapshot(json.Replace("},\n", "}\n", StringComparison.Ordinal)); break;
            case "a comma after the last": WriteSnapshot(json.Replace("}\n]}", "},\n]}", StringComparison.Ordinal)); break;
            default: WriteSnapshot(json + "\n{}"); break;
        }

        Assert.Null(SnapshotLines.TryRead(path, 700));
        var ex = Assert.Throws<StoreCorruptException>(() => SnapshotFiles.Read(path));
        Assert.Equal(path, ex.FilePath);
    }

    [Fact]
    public void DirectReader_GivesWhatTheSerializerGives()
    {
        foreach (var instance in Instances())
        {
            var json = Encoding.UTF8.GetBytes(Json(instance));
            Assert.True(InstanceJsonReader.TryRead(json, out var read));
            Assert.Equal(Json(JsonSerializer.Deserialize(json, JournalJsonContext.Default.ServiceInstance)!), Json(read!));
        }
    }

    // Each case is an instance exactly as the stores write it (which the reader accepts) with one defect.
    [Theory]
    [InlineData("no port")]
    [InlineData("a string for a number")]
    [InlineData("a null version")]
    [InlineData("a repeated metadata key")]
    [InlineData("a second value after it")]
    [InlineData("cut short")]
    public void DirectReader_DeclinesOtherShapes(string defect)
    {
        var whole = Json(Instances()[0]);
        Assert.True(InstanceJsonReader.TryRead(Encoding.UTF8.GetBytes(whole), out _));
        var json = defect switch
        {
            "no port" => Changed(whole, "\"port\":1,", ""),
            "a string for a number" => Changed(whole, "\"port\":1", "\"port\":\"1\""),
            "a null version" => Changed(whole, "\"version\":\"2.1.0\"", "\"version\":null"),
            "a repeated metadata key" => Changed(whole, "\"metadata\":{", "\"metadata\":{\"k\":\"1\",\"k\":\"2\","),
            "a second value after it" => whole + " {}",
            _ => whole[..^1],
        };

        Assert.False(InstanceJsonReader.TryRead(Encoding.UTF8.GetBytes(json), out _));
    }

    private static string Changed(string json, string from, string to)
    {
        Assert.Contains(from, json, StringComparison.Ordinal);
        return json.Replace(from, to, StringComparison.Ordinal);
    }

    [Fact]
    public void DirectReader_SkipsUnknownFields_AsTheSerializerDoes()
    {
        var instance = Instances()[2];
        var json = "{\"later\":{\"x\":[1,2]}," + Json(instance)[1..];

        Assert.True(InstanceJsonReader.TryRead(Encoding.UTF8.GetBytes(json), out var read));
        Assert.Equal(Json(instance), Json(read!));
    }

    [Fact]
    public void DirectReader_DeclinesAnInstanceMissingAFieldTheStoresWrite_WhichTheSerializerLeavesNull()
        => Assert.False(InstanceJsonReader.TryRead("""{"instance_id":"a","service_name":"s","host":"h","port":1}"""u8, out _));

    [Fact]
    public void JournalRecords_ReadDirectly_AsTheSerializerReadsThem()
    {
        var put = $$"""{"i":5,"put":{{Json(Instances()[1])}}}""";

        Assert.True(InstanceJsonReader.TryReadRecord(Encoding.UTF8.GetBytes(put), out var record));
        Assert.True(InstanceJsonReader.TryReadRecord("""{"i":6,"del":"orders-1"}"""u8, out var removal));
        Assert.False(InstanceJsonReader.TryReadRecord("""{"i":7}"""u8, out _));
        Assert.False(InstanceJsonReader.TryReadRecord("""{"i":7,"del":"a","put":null}"""u8, out _));

        Assert.Equal((5L, Json(Instances()[1])), (record!.I, Json(record.Put!)));
        Assert.Equal((6L, "orders-1"), (removal!.I, removal.Del));
    }
}
