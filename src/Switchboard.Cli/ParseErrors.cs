using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace Switchboard.Cli;

/// <summary>Turns System.CommandLine's parse errors into one readable line: type names in words, a suggestion for a misspelled command.</summary>
internal static partial class ParseErrors
{
    /// <summary>The one line for <paramref name="error"/>, in the context of the command it was found in.</summary>
    public static string Describe(ParseError error, Command command)
    {
        if (CannotParse().Match(error.Message) is { Success: true } bad)
            return $"{bad.Groups["option"].Value}: '{bad.Groups["value"].Value}' is not {Expected(bad.Groups["type"].Value)}";
        if (Unrecognized().Match(error.Message) is { Success: true } unknown && Closest(unknown.Groups["token"].Value, command) is { } suggestion)
            return $"{error.Message} (did you mean '{suggestion}'?)";
        return error.Message;
    }

    /// <summary>The name among <paramref name="candidates"/> closest to <paramref name="typed"/>, when it is close enough to be a typo.</summary>
    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(typed.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
                (best, bestDistance) = (candidate, distance);
        }
        return best is not null && bestDistance <= Math.Max(1, Math.Min(3, typed.Length / 3)) ? best : null;
    }

    private static string? Closest(string typed, Command command)
        => Closest(typed, typed.StartsWith('-')
            ? command.Options.SelectMany(o => o.Aliases.Prepend(o.Name))
            : command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));

    private static string Expected(string type) => type switch
    {
        "System.Int32" or "System.Int64" or "System.Nullable`1[System.Int32]" or "System.Nullable`1[System.Int64]" => "a whole number",
        "System.Double" or "System.Nullable`1[System.Double]" => "a number",
        "System.Boolean" or "System.Nullable`1[System.Boolean]" => "true or false",
        "System.TimeSpan" or "System.Nullable`1[System.TimeSpan]" => "a duration (for example 30s, 5m, 00:01:00)",
        _ => $"a valid value ({type.Replace("System.", "", StringComparison.Ordinal)})",
    };

    /// <summary>Levenshtein distance.</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'")]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"^Unrecognized command or argument '(?<token>[^']+)'")]
    private static partial Regex Unrecognized();
}
