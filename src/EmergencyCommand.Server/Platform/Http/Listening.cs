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

    /// <summary>
    /// Refuses a secret published in this repository (a demo key in an <c>appsettings*.json</c>) on a server that listens
    /// beyond this machine. <paramref name="what"/> names the secret, <paramref name="danger"/> says what anyone could do
    /// with it, <paramref name="remedy"/> how to give one's own.
    /// </summary>
    public static void RefusePublished(IConfiguration config, string contentRoot, string setting, string? key, string what, string danger,
        string remedy)
    {
        if (string.IsNullOrEmpty(key)) return;
        var published = Directory.GetFiles(contentRoot, "appsettings*.json")
            .Select(f => new ConfigurationBuilder().AddJsonFile(f).Build()[setting])
            .Where(k => !string.IsNullOrEmpty(k))
            .ToHashSet();
        if (!published.Contains(key)) return;
        var beyond = BeyondLoopback(config);
        if (beyond.Count > 0)
            throw new InvalidOperationException(
                $"The {what} is the one published in this repository, and the server would listen on {string.Join(", ", beyond)}: " +
                $"{danger}. Give a key of your own ({remedy}), or listen on loopback only.");
    }

    private static bool IsLoopback(string url)
    {
        var host = url.Split("://").Last().Split('/')[0];
        host = host.StartsWith('[') ? host[1..host.IndexOf(']')] : host.Split(':')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }
}
