namespace Switchboard.LoadHarness;

/// <summary>The command line of a measuring run: <c>[--quick | --smoke] [--only SECTION] [--out FILE]</c>.</summary>
/// <param name="Settings">The run's sizes and durations.</param>
/// <param name="OutFile">Where the markdown goes, when given.</param>
/// <param name="Only">The one section to run (its name as printed, e.g. <c>subscribers</c>); null runs them all.</param>
internal sealed record Arguments(HarnessSettings Settings, string? OutFile, string? Only = null)
{
    public const string Usage = "usage: Switchboard.LoadHarness.dll [--quick | --smoke] [--only SECTION] [--out FILE]";

    /// <summary>Parses <paramref name="args"/>; null (with a message on stderr) when they are not understood.</summary>
    public static Arguments? Parse(string[] args)
    {
        var settings = HarnessSettings.Full;
        string? outFile = null;
        string? only = null;
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
                case "--only" when i + 1 < args.Length:
                    only = args[++i];
                    break;
                case "--out" when i + 1 < args.Length:
                    outFile = args[++i];
                    break;
                default:
                    Console.Error.WriteLine($"load harness: unexpected '{args[i]}'\n{Usage}");
                    return null;
            }
        }
        return new Arguments(settings, outFile, only);
    }
}
