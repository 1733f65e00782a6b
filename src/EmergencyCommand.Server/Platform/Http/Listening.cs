using System.Net;

namespace EmergencyCommand.Server.Platform;

/// <summary>Where the server will listen, as configuration says, before it does.</summary>
public static class Listening
{
    /// <summary>The configured addresses that reach beyond this machine.</summary>
    public static IReadOnlyList<string> BeyondLoopback(IConfiguration config) =>
        (config["urls"] ?? config["ASPNETCORE_URLS"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Concat(config.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>())
        .Where(u => !IsLoopback(u)).ToList();

    private static bool IsLoopback(string url)
    {
        var host = url.Split("://").Last().Split('/')[0];
        host = host.StartsWith('[') ? host[1..host.IndexOf(']')] : host.Split(':')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }
}
