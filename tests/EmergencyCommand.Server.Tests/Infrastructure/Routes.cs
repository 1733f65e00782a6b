using Alba;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EmergencyCommand.Server.Tests.Infrastructure;

/// <summary>A route the server maps, as its endpoint data source has it.</summary>
public sealed record Route(string Method, string Pattern, bool Anonymous)
{
    /// <summary>The pattern as OpenAPI writes it: <c>{id}</c> without its route constraint.</summary>
    public string OpenApiPath => System.Text.RegularExpressions.Regex.Replace("/" + Pattern.TrimStart('/'), @"\{(\w+)(:[^}]*)?\}", "{$1}");

    /// <summary>A concrete URL for the pattern: fresh ids, a province code.</summary>
    public string Example => System.Text.RegularExpressions.Regex.Replace("/" + Pattern.TrimStart('/'), @"\{(\w+)(:[^}]*)?\}",
        m => m.Groups[1].Value == "code" ? "420000" : Guid.NewGuid().ToString());

    public override string ToString() => $"{Method} {Pattern}";

    /// <summary>Every route of the running server, from its endpoint data source.</summary>
    public static IReadOnlyList<Route> All(IAlbaHost host) => host.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>()
        // The console's pages are pages, not API: they are checked in a browser (Browser/, ConsolePageTests).
        .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is null)
        .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            .Select(m => new Route(m, e.RoutePattern.RawText ?? "", e.Metadata.GetMetadata<IAllowAnonymous>() is not null)))
        // Static files (their patterns are relative: "app.css", "_content/…") and the circuit ("/_blazor") are not API either.
        .Where(r => r.Pattern.StartsWith('/') && !r.Pattern.StartsWith("/_", StringComparison.Ordinal))
        .Distinct()
        .OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)
        .ToList();
}
