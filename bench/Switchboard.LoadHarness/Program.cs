using Switchboard.LoadHarness;
using Switchboard.LoadHarness.Sections;

// Usage: dotnet bench/Switchboard.LoadHarness/bin/Release/net10.0/Switchboard.LoadHarness.dll [--quick] [--out FILE]
//        (internal) baseline <instances.json> <discover.json> | backend
if (args is ["baseline", var instancesFile, var discoverFile])
    return await Baseline.RunAsync(instancesFile, discoverFile);
if (args is ["backend"])
    return await Baseline.RunBackendAsync();

var settings = HarnessSettings.FromArgs(args);
var outFile = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault();
var root = Tools.FindRepositoryRoot();
var cli = Path.Combine(root, "src/Switchboard.Cli/bin/Release/net10.0/switchboard.dll");
if (!Tools.EnsureInstalled())
    return 2;
if (!File.Exists(cli))
{
    Console.Error.WriteLine($"load harness: build the CLI first: dotnet build -c Release {Path.Combine(root, "src/Switchboard.Cli")}");
    return 2;
}

var report = new Report();
var scratch = Directory.CreateTempSubdirectory("sb-bench-").FullName;
try
{
    var harness = new Harness(settings, cli, typeof(Program).Assembly.Location, report, scratch);
    await ReadsSection.RunAsync(harness);
    await PropagationSection.RunAsync(harness);
    await ClientCallsSection.RunAsync(harness);
    await FailoverSection.RunAsync(harness);
    await WritesSection.RunAsync(harness);
    await ScaleSection.RunAsync(harness);
    await ExpirySection.RunAsync(harness);
}
finally
{
    Directory.Delete(scratch, true);
}

var markdown = report.Markdown;
if (outFile is not null)
    await File.WriteAllTextAsync(outFile, markdown);
Console.WriteLine("\n---- markdown ----" + markdown);
return 0;
