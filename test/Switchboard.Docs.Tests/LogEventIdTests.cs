using System.Text.RegularExpressions;

namespace Switchboard.Docs.Tests;

/// <summary>Every log message of a <c>src/</c> project has an event id of its own, so a log pipeline can match on it (#23).</summary>
public sealed partial class LogEventIdTests
{
    public static TheoryData<string> Projects => [.. Directory.GetDirectories(Path.Combine(DocBlocks.Root, "src")).Select(Path.GetFileName).OfType<string>()];

    [Theory]
    [MemberData(nameof(Projects))]
    public void LoggerMessages_InOneProject_HaveExplicitUniqueEventIds(string project)
    {
        var ids = new List<(int Id, string Where)>();
        var missing = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(DocBlocks.Root, "src", project), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains("/obj/", StringComparison.Ordinal) || file.Contains("/bin/", StringComparison.Ordinal))
                continue;
            var text = File.ReadAllText(file);
            foreach (Match m in LoggerMessage().Matches(text))
            {
                var where = $"{Path.GetRelativePath(DocBlocks.Root, file)}:{text[..m.Index].Count(c => c == '\n') + 1}";
                if (m.Groups["id"].Success)
                    ids.Add((int.Parse(m.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture), where));
                else
                    missing.Add(where);
            }
        }
        Assert.True(missing.Count == 0, $"log messages without an explicit event id: {string.Join(", ", missing)}");
        var duplicates = ids.GroupBy(i => i.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key} ({string.Join(", ", g.Select(i => i.Where))})").ToList();
        Assert.True(duplicates.Count == 0, $"event ids used twice in {project}: {string.Join("; ", duplicates)}");
    }

    [GeneratedRegex(@"\[LoggerMessage\((?:(?:EventId = )?(?<id>\d+)\b)?")]
    private static partial Regex LoggerMessage();
}
