using Switchboard.Samples.Irrigation.Contracts;

namespace Switchboard.Samples.Irrigation.Network;

/// <summary>
/// The simulated scheme the backends serve (seed 000: 6 zones, 20 automated gates): a reservoir outlet, a main canal in
/// two reaches, and six zones each fed by three turnouts. Every value is fixed, so every run computes the same plan.
/// </summary>
/// <remarks>
/// Water flows by gravity: head gate G-19 releases the reservoir into MC-1; zones 1–3 take from MC-1 through turnouts
/// G-01..G-09; cross regulator G-20 passes the rest into MC-2, where zones 4–6 take through G-10..G-18.
/// </remarks>
internal static class IrrigationNetwork
{
    /// <summary>The topology's version.</summary>
    public const string Version = "munbon-2024.1";

    /// <summary>The zones.</summary>
    public static IReadOnlyList<ZoneInfo> Zones { get; } =
    [
        new("zone-1", "Ban Nong Waeng", 620, "rice", 0.92),
        new("zone-2", "Khok Sung", 540, "sugarcane", 0.90),
        new("zone-3", "Nong Bua", 710, "rice", 0.89),
        new("zone-4", "Don Kha", 480, "cassava", 0.87),
        new("zone-5", "Tha Chang", 660, "rice", 0.86),
        new("zone-6", "Sa Kaeo", 590, "maize", 0.84),
    ];

    /// <summary>The channel reaches, upstream first.</summary>
    public static IReadOnlyList<ChannelReach> Channels { get; } =
    [
        new("RES", "Reservoir outlet", 9.0, 2.4, 0.2, 212.0, 212.0),
        new("MC-1", "Main canal, upper reach", 6.0, 1.1, 14.5, 211.2, 207.9),
        new("MC-2", "Main canal, lower reach", 3.5, 0.95, 11.8, 207.6, 204.8),
        new("LC-1", "Lateral 1", 1.2, 0.6, 6.2, 209.8, 207.1),
        new("LC-2", "Lateral 2", 1.2, 0.6, 5.4, 208.9, 206.5),
        new("LC-3", "Lateral 3", 1.2, 0.6, 7.1, 208.1, 205.2),
        new("LC-4", "Lateral 4", 1.2, 0.6, 4.9, 206.9, 204.6),
        new("LC-5", "Lateral 5", 1.2, 0.6, 6.6, 205.8, 203.1),
        new("LC-6", "Lateral 6", 1.2, 0.6, 5.8, 205.1, 202.7),
    ];

    /// <summary>The 20 automated gates.</summary>
    public static IReadOnlyList<GateInfo> Gates { get; } = CreateGates();

    /// <summary>The whole topology, as GIS serves it.</summary>
    public static NetworkTopology Topology { get; } = new(Version, Zones, Channels, Gates);

    /// <summary>Where the reaches lie: one representative point each (longitude, latitude), near Munbon.</summary>
    public static IReadOnlyDictionary<string, (double Lon, double Lat)> Anchors { get; } = new Dictionary<string, (double, double)>
    {
        ["RES"] = (101.948, 14.912),
        ["MC-1"] = (101.990, 14.935),
        ["MC-2"] = (102.071, 14.962),
        ["LC-1"] = (101.972, 14.968),
        ["LC-2"] = (101.998, 14.901),
        ["LC-3"] = (102.031, 14.975),
        ["LC-4"] = (102.055, 14.921),
        ["LC-5"] = (102.094, 14.995),
        ["LC-6"] = (102.120, 14.940),
    };

    /// <summary>The id of gate number <paramref name="number"/> (<c>G-01</c> ... <c>G-20</c>).</summary>
    public static string GateId(int number) => $"G-{number:00}";

    private static GateInfo[] CreateGates()
    {
        var gates = new List<GateInfo>(20);
        for (var zone = 1; zone <= 6; zone++)
        {
            var channel = zone <= 3 ? "MC-1" : "MC-2";
            for (var i = 0; i < 3; i++)
                gates.Add(new GateInfo(GateId(((zone - 1) * 3) + i + 1), "turnout", channel, $"LC-{zone}", $"zone-{zone}", 0.6, 0.5, 0.61));
        }
        gates.Add(new GateInfo(GateId(19), "head", "RES", "MC-1", null, 2.5, 1.0, 0.62));
        gates.Add(new GateInfo(GateId(20), "cross", "MC-1", "MC-2", null, 2.0, 0.8, 0.62));
        return [.. gates];
    }
}
