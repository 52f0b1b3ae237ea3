using System.CommandLine;
using Switchboard.Api;
using Switchboard.Cli.Output;

namespace Switchboard.Cli.Commands.KeyValues;

/// <summary>
/// <c>switchboard kv watch KEY | --prefix P [--count N]</c>: prints the current value(s), then one line per change
/// (blocking queries) until Ctrl-C, or until N changes with <c>--count</c>.
/// </summary>
internal static class KvWatchCommand
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(1);

    public static Command Create()
    {
        var key = new Argument<string?>("key") { Description = "The key to watch", Arity = ArgumentArity.ZeroOrOne };
        var prefix = new Option<string?>("--prefix") { Description = "Watch every key starting with this instead of one key" };
        var count = new Option<int?>("--count") { Description = "Stop after this many changes (exit 0)" };
        count.Validators.Add(r =>
        {
            if (r.Tokens is [{ Value: var text }] && int.TryParse(text, out var number) && number < 1)
                r.AddError("--count must be at least 1");
        });
        var command = new Command("watch", "Print a key's value (or a prefix's keys) now and at every change (Ctrl-C to stop)") { key, prefix, count };
        command.SetAction(async (parse, ct) =>
        {
            var one = parse.GetValue(key);
            var folder = parse.GetValue(prefix);
            if (one is null == folder is null)
                throw new CliException("watch needs a KEY or --prefix PREFIX (one of them)", CliErrors.Usage);
            var error = one is not null ? Switchboard.KeyValues.KeyValueKeys.ValidateKey(one, out _) : Switchboard.KeyValues.KeyValueKeys.ValidatePrefix(folder, "prefix", out _);
            if (error is not null)
                throw new CliException(error, CliErrors.Usage);
            using var client = GlobalOptions.Client(parse, Wait + TimeSpan.FromSeconds(30));
            var printer = new ChangePrinter(parse.GetValue(count));
            await RunAsync(client, one, folder, printer, ct);
            return printer.Done ? 0 : CliErrors.Interrupted;
        });
        return command;
    }

    private static async Task RunAsync(RegistryApiClient client, string? key, string? prefix, ChangePrinter printer, CancellationToken ct)
    {
        Dictionary<string, KeyValueResponse>? previous = null;
        long index = 0;
        var failures = 0;
        while (!ct.IsCancellationRequested && !printer.Done)
        {
            Dictionary<string, KeyValueResponse> current;
            long next;
            try
            {
                long? blockOn = previous is null ? null : index;
                if (key is not null)
                {
                    (var entry, next) = await client.KeyValueAsync(key, blockOn, Wait, ct);
                    current = entry is null ? [] : new() { [entry.Key] = entry };
                }
                else
                {
                    (var entries, next) = await client.KeyValuesAsync(prefix!, blockOn, Wait, ct);
                    current = entries.ToDictionary(e => e.Key, StringComparer.Ordinal);
                }
                failures = 0;
            }
            catch (CliException ex) when (!ct.IsCancellationRequested && ++failures <= 30)
            {
                Console.Error.WriteLine($"switchboard: {TerminalText.Escape(ex.Message)} (retrying)");
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, failures)), ct);
                continue;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            index = next < index ? 0 : next; // a registry that restarted with a lower index: start over
            if (previous is null)
                printer.Initial(key ?? prefix!, index, current.Values);
            else
                printer.Changes(index, previous, current);
            previous = current;
        }
    }

    /// <summary>Prints the first state and then each change, counting changes for <c>--count</c>.</summary>
    private sealed class ChangePrinter(int? limit)
    {
        private int _changes;

        public bool Done => limit is { } l && _changes >= l;

        public void Initial(string watched, long index, IEnumerable<KeyValueResponse> entries)
        {
            var list = entries.ToList();
            Render.Line($"[index {index}] {watched}: {list.Count} key(s)");
            foreach (var e in list)
                Render.Line($"  {e.Key} = {KvValues.Show(e.Value)}");
            Console.Out.Flush();
        }

        public void Changes(long index, Dictionary<string, KeyValueResponse> before, Dictionary<string, KeyValueResponse> now)
        {
            foreach (var e in now.Values.OrderBy(e => e.ModifyIndex))
            {
                if (Done)
                    break;
                if (!before.TryGetValue(e.Key, out var old) || old.ModifyIndex != e.ModifyIndex)
                    Print($"[index {index}] {(old is null ? "+" : "~")} {e.Key} = {KvValues.Show(e.Value)}");
            }
            foreach (var gone in before.Keys.Where(k => !now.ContainsKey(k)).Order(StringComparer.Ordinal))
            {
                if (Done)
                    break;
                Print($"[index {index}] - {gone}");
            }
            Console.Out.Flush();
        }

        private void Print(string line)
        {
            Render.Line(line);
            _changes++;
        }
    }
}
