using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Registry.Acl;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Tests.Acl;

/// <summary><c>acl.json</c>: round trip through a restart, atomic replacement, refusal of a damaged file.</summary>
public sealed class EmbeddedAclStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sb-acl-" + Guid.NewGuid().ToString("N"));
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(_dir))
            Directory.Delete(_dir, recursive: true);
    }

    private EmbeddedAclStore NewStore() => new(Options.Create(new EmbeddedStoreOptions { DataDirectory = _dir }));

    private string FilePath => Path.Combine(_dir, EmbeddedAclStore.FileName);

    private static AclService NewService(IAclStore store)
        => new(store, Options.Create(new AclOptions { Enabled = true, DefaultPolicy = "deny" }), new FakeTimeProvider(), NullLogger<AclService>.Instance);

    [Fact]
    public async Task State_survives_a_restart()
    {
        CreatedAclToken root, token;
        using (var acl = NewService(NewStore()))
        {
            await acl.LoadAsync(Ct);
            root = await acl.BootstrapAsync(Ct);
            await acl.CreatePolicyAsync(new("orders", Rules: """{"service":{"orders":{"policy":"write"}}}"""), Ct);
            token = await acl.CreateTokenAsync(new("svc", [new AclPolicyLink(Name: "orders")]), Ct);
        }
        Assert.False(File.Exists(FilePath + ".tmp"));
        var text = await File.ReadAllTextAsync(FilePath, Ct);
        Assert.DoesNotContain(root.SecretId, text, StringComparison.Ordinal);
        Assert.DoesNotContain(token.SecretId, text, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FilePath));

        using var restarted = NewService(NewStore());
        await restarted.LoadAsync(Ct);
        Assert.Equal(3, restarted.Version);
        Assert.True(restarted.Resolve(root.SecretId).IsManagement);
        Assert.True(restarted.Resolve(token.SecretId).ServiceWrite("orders").IsAllowed);
        Assert.Equal(token.Token, restarted.GetToken(token.Token.AccessorId));
        await Assert.ThrowsAsync<AclBootstrapNotAllowedException>(() => restarted.BootstrapAsync(Ct));
    }

    [Fact]
    public async Task A_missing_file_is_an_empty_state_and_nothing_is_written_by_loading()
    {
        Assert.Equal(AclState.Empty, await NewStore().LoadAsync(Ct));
        Assert.False(Directory.Exists(_dir));
    }

    [Fact]
    public async Task A_stale_version_is_not_saved()
    {
        var store = NewStore();
        Assert.True(await store.SaveAsync(AclState.Empty with { Version = 1 }, 0, Ct));
        Assert.False(await store.SaveAsync(AclState.Empty with { Version = 1 }, 0, Ct));
        Assert.True(await NewStore().SaveAsync(AclState.Empty with { Version = 2 }, 1, Ct));
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("garbage")]
    public async Task A_damaged_file_is_refused_with_its_path(string damage)
    {
        using (var acl = NewService(NewStore()))
        {
            await acl.LoadAsync(Ct);
            await acl.BootstrapAsync(Ct);
        }
        var bytes = await File.ReadAllBytesAsync(FilePath, Ct);
        bytes = damage switch
        {
            "flip" => [.. bytes[..20], (byte)(bytes[20] ^ 0x01), .. bytes[21..]],
            "truncate" => bytes[..(bytes.Length / 2)],
            _ => "not an acl file\n"u8.ToArray(),
        };
        await File.WriteAllBytesAsync(FilePath, bytes, Ct);

        using var restarted = NewService(NewStore());
        var ex = await Assert.ThrowsAsync<AclStoreCorruptException>(() => restarted.LoadAsync(Ct));
        Assert.Equal(FilePath, ex.FilePath);
        Assert.StartsWith(FilePath + ": the ACL state is damaged", ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<EmbeddedStoreException>(ex);
    }
}
