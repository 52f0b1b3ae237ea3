using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Switchboard.Server.Tests.Audit;

/// <summary>A logger provider that keeps every event of one category: its level, id, message and structured fields.</summary>
internal sealed class CapturedLogs(string category) : ILoggerProvider
{
    private readonly ConcurrentQueue<Event> _events = new();

    public IReadOnlyList<Event> Events => [.. _events];

    public ILogger CreateLogger(string categoryName) => categoryName == category ? new Logger(_events) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    /// <summary>One event: its fields by name (the message template's placeholders), and the message as written.</summary>
    public sealed record Event(LogLevel Level, EventId Id, string Message, IReadOnlyDictionary<string, object?> Fields)
    {
        public string this[string field] => Convert.ToString(Fields[field], System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    private sealed class Logger(ConcurrentQueue<Event> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.ToDictionary(p => p.Key, p => p.Value) : [];
            events.Enqueue(new Event(logLevel, eventId, formatter(state, exception), fields));
        }
    }
}
