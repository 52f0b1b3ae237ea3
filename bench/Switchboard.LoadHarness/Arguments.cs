namespace Switchboard.LoadHarness;

/// <summary>The command line of a measuring run: <c>[--quick | --smoke] [--out FILE] [--only SECTION,...] [--cli PATH] [--scales N,...] [--watchers KIND,...]</c>.</summary>
/// <param name="Settings">The sizes and durations.</param>
/// <param name="OutFile">Where to write the markdown report.</param>
/// <param name="Only">The sections to run (by name); null: all of them.</param>
/// <param name="Cli">Another build of <c>switchboard.dll</c> to measure (a before/after comparison in one session); null: this repository's.</param>
internal sealed record Arguments(HarnessSettings Settings, string? OutFile, IReadOnlySet<string>? Only = null, string? Cli = null)
{
    public const string Usage = "usage: Switchboard.LoadHarness.dll [--quick | --smoke] [--out FILE] [--only SECTION,...] [--cli PATH/switchboard.dll] [--scales N,...] [--watchers native,consul,events]";

    /// <summary>The sections of a run, in the order they run.</summary>
    public static readonly string[] Sections = ["reads", "consul reads", "propagation", "client calls", "failover", "writes", "scale", "fill", "expiry", "redis", "subscribers", "watchers", "acl", "telemetry", "dns"];

    /// <summary>The kinds of watchers the watchers section can measure.</summary>
    public static readonly string[] WatcherKinds = ["native", "consul", "events"];

    /// <summary>Whether the section named <paramref name="name"/> runs.</summary>
    public bool Runs(string name) => Only is null || Only.Contains(name);

    /// <summary>Parses <paramref name="args"/>; null (with a message on stderr) when they are not understood.</summary>
    public static Arguments? Parse(string[] args)
    {
        var settings = HarnessSettings.Full;
        string? outFile = null;
        HashSet<string>? only = null;
        string? cli = null;
        int[]? scales = null;
        HashSet<string>? watcherKinds = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick" when settings == HarnessSettings.Full:
                    settings = HarnessSettings.Quick;
                    break;
                case "--smoke" when settings == HarnessSettings.Full:
                    settings = HarnessSettings.Smoke;
                    break;
                case "--out" when i + 1 < args.Length:
                    outFile = args[++i];
                    break;
                case "--only" when i + 1 < args.Length:
                    only = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                    if (only.FirstOrDefault(name => !Sections.Contains(name)) is { } unknown)
                    {
                        Console.Error.WriteLine($"load harness: --only: unknown section '{unknown}' (sections: {string.Join(", ", Sections)})");
                        return null;
                    }
                    break;
                case "--cli" when i + 1 < args.Length:
                    cli = Path.GetFullPath(args[++i]);
                    break;
                case "--scales" when i + 1 < args.Length:
                    scales = ParseScales(args[++i]);
                    if (scales is null)
                    {
                        Console.Error.WriteLine($"load harness: --scales: a comma-separated list of instance counts from 10 to 10,000,000, not '{args[i]}'");
                        return null;
                    }
                    break;
                case "--watchers" when i + 1 < args.Length:
                    watcherKinds = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                    if (watcherKinds.Count == 0 || watcherKinds.FirstOrDefault(kind => !WatcherKinds.Contains(kind)) is { } unknownKind)
                    {
                        Console.Error.WriteLine($"load harness: --watchers: kinds among {string.Join(", ", WatcherKinds)}, not '{args[i]}'");
                        return null;
                    }
                    break;
                default:
                    Console.Error.WriteLine($"load harness: unexpected '{args[i]}'\n{Usage}");
                    return null;
            }
        }
        settings = scales is null ? settings : settings with { Scales = scales };
        settings = watcherKinds is null ? settings : settings with { WatcherKinds = watcherKinds };
        return new Arguments(settings, outFile, only, cli);
    }

    /// <summary>The scale section's sizes (<c>--scales 100000,1000000</c>: one size of a full run alone); null when not numbers in range.</summary>
    private static int[]? ParseScales(string value)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] is < 10 or > 10_000_000)
                return null;
        }
        return sizes.Length > 0 ? sizes : null;
    }
}
