using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EmergencyCommand.Server.Ui;

/// <summary>A province outline on the map: its GB/T 2260 code, its name, and its SVG path.</summary>
public sealed record ProvinceShape(string Code, string Name, string Path);

/// <summary>
/// China's provinces (outlines from china-geojson 1.0.0, bundled by ops/gen-map) projected once, in Web Mercator, to SVG
/// paths: the cockpit colours them by response level, and a field reporter picks a location on them.
/// </summary>
public sealed class ChinaMap
{
    private const double Scale = 10;

    public ChinaMap(IWebHostEnvironment environment)
    {
        using var file = File.OpenRead(Path.Combine(environment.WebRootPath ?? Path.Combine(AppContext.BaseDirectory, "wwwroot"), "china-provinces.geojson"));
        using var geo = JsonDocument.Parse(file);
        var rings = new List<(string Code, string Name, List<List<(double X, double Y)>> Rings)>();
        foreach (var feature in geo.RootElement.GetProperty("features").EnumerateArray())
        {
            var properties = feature.GetProperty("properties");
            if (!properties.TryGetProperty("adcode", out var code) || code.ValueKind != JsonValueKind.String) continue;
            var geometry = feature.GetProperty("geometry");
            var polygons = geometry.GetProperty("type").GetString() == "MultiPolygon"
                ? geometry.GetProperty("coordinates").EnumerateArray().ToList()
                : [geometry.GetProperty("coordinates")];
            rings.Add((code.GetString()!, properties.GetProperty("name").GetString() ?? "",
                polygons.SelectMany(p => p.EnumerateArray()).Select(ring => ring.EnumerateArray()
                    .Select(pt => Project(pt[1].GetDouble(), pt[0].GetDouble())).ToList()).ToList()));
        }
        var points = rings.SelectMany(r => r.Rings).SelectMany(r => r).ToList();
        (MinX, MinY) = (points.Min(p => p.X), points.Min(p => p.Y));
        (Width, Height) = (points.Max(p => p.X) - MinX, points.Max(p => p.Y) - MinY);
        Provinces = rings.Select(r => new ProvinceShape(r.Code, r.Name, PathOf(r.Rings))).ToList();
    }

    public IReadOnlyList<ProvinceShape> Provinces { get; }
    public double MinX { get; }
    public double MinY { get; }
    public double Width { get; }
    public double Height { get; }

    public string ViewBox => string.Create(CultureInfo.InvariantCulture, $"{MinX:0.#} {MinY:0.#} {Width:0.#} {Height:0.#}");

    public static (double X, double Y) Project(double latitude, double longitude)
    {
        var lat = Math.Clamp(latitude, -85, 85) * Math.PI / 180;
        return (longitude * Scale, -Math.Log(Math.Tan(Math.PI / 4 + lat / 2)) * (180 / Math.PI) * Scale);
    }

    public static (double Latitude, double Longitude) Unproject(double x, double y) =>
        ((2 * Math.Atan(Math.Exp(-y / Scale * Math.PI / 180)) - Math.PI / 2) * 180 / Math.PI, x / Scale);

    private static string PathOf(List<List<(double X, double Y)>> rings)
    {
        var d = new StringBuilder();
        foreach (var ring in rings)
        {
            for (var i = 0; i < ring.Count; i++)
                d.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? 'M' : 'L')}{ring[i].X:0.#},{ring[i].Y:0.#}");
            d.Append('Z');
        }
        return d.ToString();
    }
}
