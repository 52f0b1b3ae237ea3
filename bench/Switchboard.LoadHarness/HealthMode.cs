using System.Globalization;
using Switchboard.LoadHarness.Sections;

namespace Switchboard.LoadHarness;

/// <summary>
/// <c>health [--hanging 0,3000] [--runs 3] [--agent DLL] [--label NAME] [--limit SECONDS] [--out FILE]</c>: only the
/// health-check section, against the built agent or another build of it (to compare before and after a change).
/// </summary>
internal static class HealthMode
{
    public const string Usage = "usage: Switchboard.LoadHarness.dll health [--hanging 0,3000] [--runs 3] [--agent switchboard.dll] [--label NAME] [--limit SECONDS] [--out FILE]";

    public static async Task<int> RunAsync(string[] args, string defaultAgent)
    {
        int[] hanging = [0, 3_000];
        var runs = 3;
        var agent = defaultAgent;
        var label = "this build";
        var limit = TimeSpan.FromSeconds(240);
        string? outFile = null;
        try
        {
            for (var i = 1; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--hanging" when i + 1 < args.Length:
                        hanging = [.. args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
                        break;
                    case "--runs" when i + 1 < args.Length:
                        runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
                        break;
                    case "--agent" when i + 1 < args.Length:
                        agent = Path.GetFullPath(args[++i]);
                        break;
                    case "--label" when i + 1 < args.Length:
                        label = args[++i];
                        break;
                    case "--limit" when i + 1 < args.Length:
                        limit = TimeSpan.FromSeconds(int.Parse(args[++i], CultureInfo.InvariantCulture));
                        break;
                    case "--out" when i + 1 < args.Length:
                        outFile = args[++i];
                        break;
                    default:
                        throw new FormatException($"unexpected '{args[i]}'");
                }
            }
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"load harness: {e.Message}\n{Usage}");
            return 2;
        }
        if (!File.Exists(agent))
        {
            Console.Error.WriteLine($"load harness: no agent at {agent}; build it first: dotnet build -c Release src/Switchboard.Cli");
            return 2;
        }

        var report = new Report();
        try
        {
            await report.RunAsync("health", () => HealthSection.RunAsync(report, agent, label, hanging, runs, limit));
        }
        finally
        {
            PeerProcesses.StopAll();
        }
        if (outFile is not null)
            await File.WriteAllTextAsync(outFile, report.Markdown);
        Console.WriteLine("\n---- markdown ----" + report.Markdown);
        foreach (var problem in report.Problems)
            Console.Error.WriteLine($"load harness: {problem}");
        return report.Problems.Count == 0 ? 0 : 1;
    }
}
