namespace Switchboard.LoadHarness;

/// <summary>The command line of a measuring run: <c>[--quick | --smoke] [--out FILE]</c>.</summary>
internal sealed record Arguments(HarnessSettings Settings, string? OutFile)
{
    public const string Usage = "usage: Switchboard.LoadHarness.dll [--quick | --smoke] [--out FILE]";

    /// <summary>Parses <paramref name="args"/>; null (with a message on stderr) when they are not understood.</summary>
    public static Arguments? Parse(string[] args)
    {
        var settings = HarnessSettings.Full;
        string? outFile = null;
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
                default:
                    Console.Error.WriteLine($"load harness: unexpected '{args[i]}'\n{Usage}");
                    return null;
            }
        }
        return new Arguments(settings, outFile);
    }
}
