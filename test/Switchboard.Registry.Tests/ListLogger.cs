using Microsoft.Extensions.Logging;

namespace Switchboard.Registry.Tests;

/// <summary>A logger that keeps what is logged (event name, level, message) for a test to read.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly List<(string? Event, LogLevel Level, string Message)> _entries = [];

    public IReadOnlyList<(string? Event, LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (_entries)
                return [.. _entries];
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries)
            _entries.Add((eventId.Name, logLevel, formatter(state, exception)));
    }
}
