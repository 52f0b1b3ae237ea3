using System.Globalization;
using System.Text;

namespace Switchboard.LoadHarness;

/// <summary>Collects result tables and prints them as markdown (for docs/benchmarks.md).</summary>
internal sealed class Report
{
    private readonly StringBuilder _markdown = new();

    public void Section(string title, string note)
    {
        _markdown.AppendLine().AppendLine($"### {title}").AppendLine().AppendLine(note).AppendLine();
        Console.WriteLine($"\n== {title}");
    }

    public void Table(string[] headers, IEnumerable<string[]> rows)
    {
        _markdown.AppendLine("| " + string.Join(" | ", headers) + " |");
        _markdown.AppendLine("|" + string.Concat(headers.Select(_ => "---|")));
        Console.WriteLine(string.Join("\t", headers));
        foreach (var row in rows)
        {
            _markdown.AppendLine("| " + string.Join(" | ", row) + " |");
            Console.WriteLine(string.Join("\t", row));
        }
    }

    public static string F(double value, string format = "0") => double.IsNaN(value) ? "n/a" : value.ToString(format, CultureInfo.InvariantCulture);

    public string Markdown => _markdown.ToString();
}
