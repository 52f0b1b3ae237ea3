using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Samples.Irrigation.Contracts;
using Switchboard.Samples.Irrigation.Hosting;
using Switchboard.Samples.Irrigation.Network;

namespace Switchboard.Samples.Irrigation.Gis;

/// <summary>The GIS service (seed 000 GISClient): network topology, channel network, zone boundaries, elevation and routing.</summary>
internal static class GisApi
{
    /// <summary>The service's profile.</summary>
    public static ServiceProfile Profile { get; } = new(
        IrrigationServices.Gis,
        3007,
        ["gis", "spatial", "topology"],
        new Dictionary<string, string> { ["zones"] = "6", ["channels"] = "9", ["crs"] = "EPSG:4326" },
        _ => { },
        endpoints => endpoints.MapGisApi());

    public static IEndpointRouteBuilder MapGisApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/gis");
        api.MapGet("/network/topology", () => TypedResults.Ok(IrrigationNetwork.Topology));
        api.MapGet("/channels", GetChannels);
        api.MapGet("/zones", GetZones);
        api.MapGet("/elevation", GetElevation);
        api.MapGet("/routing", GetRoute);
        return endpoints;
    }

    private static Ok<ChannelGeometry[]> GetChannels() => TypedResults.Ok(IrrigationNetwork.Channels.Select(c =>
    {
        var (lon, lat) = IrrigationNetwork.Anchors[c.ChannelId];
        var downstream = IrrigationNetwork.Gates.Where(g => g.ChannelId == c.ChannelId).Select(g => g.FeedsChannelId).Distinct().ToArray();
        double[][] line = [[lon - 0.02, lat - 0.01], [lon, lat], [lon + 0.02, lat + 0.01]];
        return new ChannelGeometry(c.ChannelId, c.Name, line, downstream);
    }).ToArray());

    private static Ok<ZoneBoundary[]> GetZones() => TypedResults.Ok(IrrigationNetwork.Zones.Select((z, i) =>
    {
        var (lon, lat) = IrrigationNetwork.Anchors[$"LC-{i + 1}"];
        var half = Math.Sqrt(z.AreaHa) / 2 / 1000;
        double[][] ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half], [lon - half, lat - half]];
        return new ZoneBoundary(z.ZoneId, z.Name, z.AreaHa, ring);
    }).ToArray());

    private static Results<Ok<ElevationPoint>, ValidationProblem> GetElevation(double? lat, double? lon)
    {
        if (lat is not (>= -90 and <= 90))
            return ProblemResults.Invalid("lat", "lat is required, between -90 and 90.");
        if (lon is not (>= -180 and <= 180))
            return ProblemResults.Invalid("lon", "lon is required, between -180 and 180.");
        // A plain sloping the way the canal runs: 212 m at the reservoir, falling about 40 m per degree eastwards.
        var elevation = 212.0 - ((lon.Value - 101.948) * 40.0) - (Math.Abs(lat.Value - 14.93) * 15.0);
        return TypedResults.Ok(new ElevationPoint(lat.Value, lon.Value, Math.Round(elevation, 2)));
    }

    private static Results<Ok<WaterRoute>, ValidationProblem> GetRoute(string? from, string? to)
    {
        var channels = IrrigationNetwork.Channels.ToDictionary(c => c.ChannelId);
        if (from is null || !channels.ContainsKey(from))
            return ProblemResults.Invalid("from", $"from must be a channel id ({string.Join(", ", channels.Keys)}).");
        if (to is null || !channels.ContainsKey(to))
            return ProblemResults.Invalid("to", $"to must be a channel id ({string.Join(", ", channels.Keys)}).");

        // Walk upstream from 'to' until 'from' is reached (the network is a tree).
        var path = new List<string> { to };
        var gates = new List<string>();
        while (path[^1] != from)
        {
            var feeder = IrrigationNetwork.Gates.FirstOrDefault(g => g.FeedsChannelId == path[^1]);
            if (feeder is null)
                return ProblemResults.Invalid("to", $"{to} is not downstream of {from}.");
            gates.Add(feeder.GateId);
            path.Add(feeder.ChannelId);
        }
        path.Reverse();
        gates.Reverse();
        var reaches = path.Select(id => channels[id]).ToArray();
        return TypedResults.Ok(new WaterRoute(from, to, path, gates, Math.Round(reaches.Sum(r => r.LengthKm), 2), Math.Round(reaches[0].UpstreamElevationM - reaches[^1].DownstreamElevationM, 2)));
    }
}
