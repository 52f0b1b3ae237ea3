namespace Switchboard.Bench.Tests;

/// <summary>The tables of the harness's markdown: each header row with the first cells of the rows under it.</summary>
internal static class MarkdownTables
{
    public sealed record Table(string Header, List<string> RowLabels);

    public static List<Table> Parse(string markdown)
    {
        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var tables = new List<Table>();
        for (var i = 0; i + 1 < lines.Length; i++)
        {
            if (!IsRow(lines[i]) || !lines[i + 1].StartsWith("|---", StringComparison.Ordinal))
                continue;
            var table = new Table(lines[i], []);
            var r = i + 2;
            for (; r < lines.Length && IsRow(lines[r]) && !(r + 1 < lines.Length && lines[r + 1].StartsWith("|---", StringComparison.Ordinal)); r++)
                table.RowLabels.Add(lines[r].Split('|', StringSplitOptions.TrimEntries)[1]);
            tables.Add(table);
            i = r - 1;
        }
        return tables;
    }

    private static bool IsRow(string line) => line.StartsWith("| ", StringComparison.Ordinal);
}
