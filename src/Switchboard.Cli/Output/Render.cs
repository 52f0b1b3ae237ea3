using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Spectre.Console;

namespace Switchboard.Cli.Output;

/// <summary>Prints results as tables (for people) or JSON (for scripts).</summary>
internal static class Render
{
    public static void Json<T>(T value, JsonTypeInfo<T> type)
        => Console.Out.WriteLine(JsonSerializer.Serialize(value, type));

    /// <summary>Prints one line for people, with any control character from the registry escaped.</summary>
    public static void Line(string line) => Console.Out.WriteLine(TerminalText.Escape(line));

    public static void Table(string[] headers, IEnumerable<string[]> rows)
    {
        if (Console.IsOutputRedirected)
            AnsiConsole.Profile.Width = 240; // piped output: never wrap cells into unreadable columns
        var table = new Table().Border(TableBorder.Simple);
        foreach (var header in headers)
            table.AddColumn(new TableColumn(header).NoWrap());
        foreach (var row in rows)
            table.AddRow(row.Select(cell => new Text(TerminalText.Escape(cell))).ToArray<Spectre.Console.Rendering.IRenderable>());
        AnsiConsole.Write(table);
    }
}
