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

    /// <summary>Milliseconds with two decimals.</summary>
    public static string Ms(double value) => F(value, "0.00");

    /// <summary>A count.</summary>
    public static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary><paramref name="value"/> / <paramref name="baseline"/> as "1.23x".</summary>
    public static string Ratio(double value, double baseline, string format = "0.00") => F(value / baseline, format) + "x";

    /// <summary>A row of label, p50, p99 and max of latency samples in ms.</summary>
    public static string[] Latencies(string label, List<double> samples)
        => [label, Ms(Propagation.Percentile(samples, 50)), Ms(Propagation.Percentile(samples, 99)), Ms(samples.Count == 0 ? double.NaN : samples.Max())];

    public string Markdown => _markdown.ToString();
}
