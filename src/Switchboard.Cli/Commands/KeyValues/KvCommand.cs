using System.CommandLine;
using System.Text;
using Switchboard.Api;
using Switchboard.Cli.Output;
using Switchboard.Json;
using Switchboard.KeyValues;

namespace Switchboard.Cli.Commands.KeyValues;

/// <summary><c>switchboard kv get|put|delete|list|watch</c>: the key/value store through the native <c>/service-discovery/kv</c> routes.</summary>
internal static class KvCommand
{
    public static Command Create() => new("kv", "Read and write the key/value store")
    {
        Get(),
        Put(),
        Delete(),
        List(),
        KvWatchCommand.Create(),
    };

    /// <summary>A KEY argument checked with the registry's own rules (exit 2 before any request).</summary>
    public static Argument<string> KeyArgument(string description, bool prefix = false)
    {
        var argument = new Argument<string>(prefix ? "prefix" : "key") { Description = description };
        if (prefix)
            argument.DefaultValueFactory = _ => "";
        argument.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<string>();
            var error = prefix ? KeyValueKeys.ValidatePrefix(value, "prefix", out _) : KeyValueKeys.ValidateKey(value, out _);
            if (error is not null)
                r.AddError(error);
        });
        return argument;
    }

    /// <summary>A non-negative number option (<c>--cas</c>, <c>--flags</c>).</summary>
    public static Option<long?> NumberOption(string name, string description)
    {
        var option = new Option<long?>(name) { Description = description };
        option.Validators.Add(r =>
        {
            // The token, not the converted value: converting a token that is not a number throws here.
            if (r.Tokens is [{ Value: var text }] && long.TryParse(text, out var number) && number < 0)
                r.AddError($"{name} must be 0 or more");
        });
        return option;
    }

    private static Command Get()
    {
        var key = KeyArgument("The key");
        var command = new Command("get", "Print a key's value as stored (with --json: the entry with flags and indexes)") { key };
        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(key)!;
            using var client = GlobalOptions.Client(parse);
            var (entry, _) = await client.KeyValueAsync(name, null, null, ct);
            if (entry is null)
                throw new CliException($"no key '{name}' (see 'switchboard kv list')");
            if (parse.GetValue(GlobalOptions.Json))
            {
                Render.Json(entry, SwitchboardJsonContext.Default.KeyValueResponse);
                return 0;
            }
            if (Console.IsOutputRedirected)
            {
                // Piped or redirected: the exact bytes, so 'kv get K > file' gives back what 'kv put K --file file' stored.
                await using var stdout = Console.OpenStandardOutput();
                await stdout.WriteAsync(entry.Value, ct);
            }
            else
            {
                Render.Line(KvValues.Show(entry.Value)); // a terminal: control characters escaped, never sent raw
            }
            return 0;
        });
        return command;
    }

    private static Command Put()
    {
        var key = KeyArgument("The key");
        var value = new Argument<string?>("value") { Description = "The value; - reads it from standard input", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<FileInfo?>("--file", "-f") { Description = "Read the value from this file (bytes as they are)" };
        var cas = NumberOption("--cas", "Write only if the key's modify index is this (0: only if the key does not exist)");
        var flags = NumberOption("--flags", "An opaque number stored with the value");
        var command = new Command("put", "Store a value at a key") { key, value, file, cas, flags };
        command.SetAction(async (parse, ct) =>
        {
            var bytes = await ReadValueAsync(parse.GetValue(value), parse.GetValue(file), ct);
            if (bytes.Length > KeyValueLimits.MaxValueBytes)
                throw new CliException($"the value is {bytes.Length} bytes; the registry keeps at most {KeyValueLimits.MaxValueBytes}", CliErrors.Usage);
            using var client = GlobalOptions.Client(parse);
            var written = await client.PutKeyValueAsync(parse.GetValue(key)!, bytes, parse.GetValue(flags), parse.GetValue(cas), ct);
            if (parse.GetValue(GlobalOptions.Json))
                Render.Json(written, SwitchboardJsonContext.Default.KeyValueWriteResponse);
            else
                Render.Line($"put {written.Key} (modify index {written.ModifyIndex})");
            return 0;
        });
        return command;
    }

    private static async Task<byte[]> ReadValueAsync(string? value, FileInfo? file, CancellationToken ct)
    {
        if (value is not null && file is not null)
            throw new CliException("give the value or --file, not both", CliErrors.Usage);
        if (file is not null)
        {
            try
            {
                return await File.ReadAllBytesAsync(file.FullName, ct);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"--file: cannot read '{file.FullName}': {CliErrors.OneLine(ex)}", CliErrors.Usage);
            }
        }
        if (value == "-")
        {
            await using var stdin = Console.OpenStandardInput();
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stdin.ReadAsync(chunk, ct)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > KeyValueLimits.MaxValueBytes)
                    throw new CliException($"standard input holds more than {KeyValueLimits.MaxValueBytes} bytes, the registry's limit for a value", CliErrors.Usage);
            }
            return buffer.ToArray();
        }
        return value is not null
            ? Encoding.UTF8.GetBytes(value)
            : throw new CliException("give a value, --file FILE, or - to read standard input", CliErrors.Usage);
    }

    private static Command Delete()
    {
        var key = KeyArgument("The key (with --recurse: the prefix)");
        var recurse = new Option<bool>("--recurse") { Description = "Delete every key that starts with KEY" };
        var cas = NumberOption("--cas", "Delete only if the key's modify index is this");
        var command = new Command("delete", "Delete a key, or every key under a prefix") { key, recurse, cas };
        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(key)!;
            var tree = parse.GetValue(recurse);
            if (tree && parse.GetValue(cas) is not null)
                throw new CliException("--cas cannot be combined with --recurse", CliErrors.Usage);
            using var client = GlobalOptions.Client(parse);
            await client.DeleteKeyValueAsync(name, tree, parse.GetValue(cas), ct);
            Render.Line(tree ? $"deleted every key under '{name}'" : $"deleted {name}");
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var prefix = KeyArgument("Only keys starting with this (default: every key)", prefix: true);
        var keys = new Option<bool>("--keys") { Description = "Only the keys, one per line" };
        var separator = new Option<string?>("--separator") { Description = "With --keys: list each key only up to the first SEPARATOR after the prefix (folders)" };
        var command = new Command("list", "List the keys under a prefix with their values") { prefix, keys, separator };
        command.SetAction(async (parse, ct) =>
        {
            var from = parse.GetValue(prefix) ?? "";
            using var client = GlobalOptions.Client(parse);
            if (parse.GetValue(keys) || parse.GetValue(separator) is not null)
            {
                var names = await client.KeyValueKeysAsync(from, parse.GetValue(separator), ct);
                if (parse.GetValue(GlobalOptions.Json))
                    Render.Json(names, SwitchboardJsonContext.Default.IReadOnlyListString);
                else
                    foreach (var name in names)
                        Render.Line(name);
                return 0;
            }
            var (entries, _) = await client.KeyValuesAsync(from, null, null, ct);
            if (parse.GetValue(GlobalOptions.Json))
                Render.Json(entries, SwitchboardJsonContext.Default.IReadOnlyListKeyValueResponse);
            else
                Render.Table(["KEY", "FLAGS", "MODIFY INDEX", "VALUE"], entries.Select(Row));
            return 0;
        });
        return command;
    }

    private static string[] Row(KeyValueResponse e) => [e.Key, e.Flags.ToString(System.Globalization.CultureInfo.InvariantCulture),
        e.ModifyIndex.ToString(System.Globalization.CultureInfo.InvariantCulture), KvValues.Show(e.Value, max: 60)];
}
