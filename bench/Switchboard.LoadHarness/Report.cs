using System.Globalization;
using System.Text;

namespace Switchboard.LoadHarness;

/// <summary>
/// Collects result tables and prints them as markdown (for docs/benchmarks.md), and keeps the run honest: a section that
/// failed, wrote no table, a table without rows or a figure that could not be measured ("n/a") is a problem, and a run
/// with problems does not exit 0.
/// </summary>
internal sealed class Report
{
    private readonly StringBuilder _markdown = new();
    private readonly List<string> _problems = [];
    private string _current = "";
    private int _tables;

    /// <summary>What went wrong in this run; empty when every section produced its rows.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>Records a problem outside any table.</summary>
    public void Problem(string problem) => _problems.Add(problem);

    /// <summary>Runs one section; its failure is recorded (and printed) and the run goes on with the next section.</summary>
    public async Task RunAsync(string name, Func<Task> section)
    {
        _current = name;
        var tablesBefore = _tables;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Console.WriteLine($"\n.. {name}");
        try
        {
            await section();
            if (_tables == tablesBefore)
                _problems.Add($"{name}: wrote no table");
        }
        catch (Exception e) // any failure: recorded, and the run exits non-zero at the end
        {
            _problems.Add($"{name}: {e.GetType().Name}: {e.Message}");
            Console.Error.WriteLine($"load harness: section '{name}' failed: {e}");
        }
        Console.WriteLine($".. {name}: {clock.Elapsed.TotalSeconds:0.0} s");
    }

    public void Section(string title, string note)
    {
        _markdown.AppendLine().AppendLine($"### {title}").AppendLine().AppendLine(note).AppendLine();
        Console.WriteLine($"\n== {title}");
    }

    public void Table(string[] headers, IEnumerable<string[]> rows)
    {
        _tables++;
        _markdown.AppendLine("| " + string.Join(" | ", headers) + " |");
        _markdown.AppendLine("|" + string.Concat(headers.Select(_ => "---|")));
        Console.WriteLine(string.Join("\t", headers));
        var count = 0;
        foreach (var row in rows)
        {
            count++;
            _markdown.AppendLine("| " + string.Join(" | ", row) + " |");
            Console.WriteLine(string.Join("\t", row));
            if (row.Length != headers.Length || row.Contains("n/a"))
                _problems.Add($"{_current}: row '{row[0]}' of table '{headers[0]}' has {row.Length} of {headers.Length} cells or a figure not measured (n/a)");
        }
        if (count == 0)
            _problems.Add($"{_current}: table '{headers[0]}' has no rows");
        _markdown.AppendLine(); // tables written back to back would otherwise render as one
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
