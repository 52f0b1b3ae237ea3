using Switchboard.Client.Calls;

// Listens on PORT (the AppHost's endpoint), registers as Switchboard:ServiceName through the registry the AppHost
// referenced, answers /hello with its name and /call/{service} by calling that service's /hello through the registry.
var builder = WebApplication.CreateBuilder(args);
var port = builder.Configuration["PORT"] ?? "0";
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.AddSwitchboardClient();

var app = builder.Build();
var name = app.Configuration["Switchboard:ServiceName"] ?? "unnamed";
app.MapGet("/hello", () => new Greeting(name));
app.MapGet("/call/{service}", async (string service, IServiceClient client, CancellationToken cancellationToken) =>
    new Greeting(name, await client.GetOrThrowAsync<Greeting>(service, "/hello", cancellationToken: cancellationToken)));
app.MapSwitchboardHealth();
app.Run();

internal sealed record Greeting(string From, Greeting? Reply = null);
