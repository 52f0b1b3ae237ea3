using System.Text.Json;

namespace Switchboard.Server.Http;

/// <summary>Checks that every string and member name of a parsed JSON value decodes, for the Consul and the Eureka API.</summary>
internal static class JsonStrings
{
    /// <summary>Decodes every string and name once; false on invalid UTF-8 or a lone surrogate, so a handler never meets one later.</summary>
    public static bool AllDecode(JsonElement element)
    {
        try
        {
            Walk(element);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void Walk(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                _ = element.GetString();
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    Walk(property.Value);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    Walk(item);
                break;
        }
    }
}
