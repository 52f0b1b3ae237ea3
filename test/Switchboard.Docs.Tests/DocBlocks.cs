using System.Reflection;

namespace Switchboard.Docs.Tests;

/// <summary>A C# example in a Markdown file: where it starts (for the failure message) and its code.</summary>
public sealed record DocBlock(string File, int Line, string Code)
{
    /// <inheritdoc/>
    public override string ToString() => $"{File}:{Line}";
}

/// <summary>The C# examples the docs promise compile: every <c>```csharp</c> block of docs/client.md and of README.md's SDK section.</summary>
internal static class DocBlocks
{
    public const string ReadmeSdkHeading = "## Use the SDK in your app";

    public static string Root { get; } = typeof(DocBlocks).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    public static IReadOnlyList<DocBlock> ClientMd => Extract("docs/client.md", heading: null);

    public static IReadOnlyList<DocBlock> ReadmeSdk => Extract("README.md", ReadmeSdkHeading);

    /// <summary>The blocks of <paramref name="file"/>, or only of the section under <paramref name="heading"/> (up to the next heading of its level).</summary>
    public static IReadOnlyList<DocBlock> Extract(string file, string? heading)
    {
        var lines = File.ReadAllLines(Path.Combine(Root, file));
        var blocks = new List<DocBlock>();
        var inSection = heading is null;
        var level = heading?[..(heading.IndexOf(' ', StringComparison.Ordinal) + 1)];
        for (var i = 0; i < lines.Length; i++)
        {
            if (heading is not null && lines[i].StartsWith('#'))
            {
                if (lines[i].TrimEnd() == heading)
                    inSection = true;
                else if (inSection && lines[i].StartsWith(level!, StringComparison.Ordinal))
                    break;
            }
            if (!inSection || lines[i].Trim() != "```csharp")
                continue;
            var start = i + 1;
            var end = start;
            while (end < lines.Length && lines[end].Trim() != "```")
                end++;
            blocks.Add(new DocBlock(file, start + 1, string.Join('\n', lines[start..end])));
            i = end;
        }
        return blocks;
    }
}
