using System.Text.RegularExpressions;

namespace Switchboard.Server.Tests;

/// <summary>Log event ids are unique within each project under src/, so an id names one event in a log search.</summary>
public sealed partial class LogEventIdTests
{
    [Fact]
    public void EveryProject_EachLoggerMessageIdOnce()
    {
        var duplicates = new List<string>();
        foreach (var project in Directory.GetDirectories(Path.Combine(RepositoryPaths.Root, "src")))
        {
            var ids = Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .SelectMany(f => EventId().Matches(File.ReadAllText(f)).Select(m => (Id: int.Parse(m.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture), File: Path.GetFileName(f))));
            duplicates.AddRange(ids.GroupBy(i => i.Id).Where(g => g.Count() > 1)
                .Select(g => $"{Path.GetFileName(project)}: event id {g.Key} in {string.Join(", ", g.Select(i => i.File))}"));
        }

        Assert.True(duplicates.Count == 0, string.Join("\n", duplicates));
    }

    [GeneratedRegex(@"\[LoggerMessage\((?:EventId\s*=\s*)?(?<id>\d+)")]
    private static partial Regex EventId();
}
