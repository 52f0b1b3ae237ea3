using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Switchboard.Server.Ui;

/// <summary>The dashboard's files, embedded in this assembly under <c>Switchboard.Ui/</c> and read once.</summary>
internal static class DashboardAssets
{
    private const string Prefix = "Switchboard.Ui/";

    /// <summary>One embedded file: its bytes, content type and a strong ETag.</summary>
    public sealed record Asset(byte[] Bytes, string ContentType, string ETag);

    /// <summary>The files by their path under <c>wwwroot/</c> (<c>index.html</c>, <c>assets/app.js</c>...).</summary>
    public static FrozenDictionary<string, Asset> All { get; } = Load();

    /// <summary>The app shell every page route answers with.</summary>
    public static Asset Shell => All["index.html"];

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
                continue;
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var path = name[Prefix.Length..].Replace('\\', '/');
            files[path] = new Asset(bytes, ContentType(path), $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
        }
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentType(string path) => Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".ico" => "image/x-icon",
        _ => "application/octet-stream",
    };
}
