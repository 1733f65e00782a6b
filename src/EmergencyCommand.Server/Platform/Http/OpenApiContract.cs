using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace EmergencyCommand.Server.Platform;

/// <summary>
/// What the OpenAPI document says beyond the endpoints themselves, so that a generated client works: how to
/// authenticate (a bearer token, or the browser's session cookie) and which operations need it, the feature each
/// operation belongs to (a tag per module, with the module's description), and the problems every route may answer.
/// </summary>
public sealed class OpenApiContract(Modules modules) : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string Bearer = "bearer";
    public const string Cookie = "cookie";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info.Title = "EmergencyCommand";
        document.Info.Description = "Event-sourced emergency incident command: incidents and the closed loop, response levels, supplies, " +
                                    "green channels, shipments, the situation board, decisions and audit.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                Description = "An access token from POST /api/auth/token (15 minutes; refresh with POST /api/auth/refresh).",
            },
            [Cookie] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Cookie, Name = "ec.session",
                Description = "A browser's session cookie from POST /api/auth/session; its writes also carry the X-CSRF-TOKEN header.",
            },
        };
        document.Tags = new HashSet<OpenApiTag>(modules.Registered.Where(m => m.About is not null)
            .Select(m => new OpenApiTag { Name = m.Feature, Description = m.About })
            .Append(new OpenApiTag { Name = "Health", Description = "Liveness and readiness, open to anyone." }));
        // Relative: the API is where the document came from, whatever name or proxy the client reached it by.
        document.Servers = [new OpenApiServer { Url = "/" }];
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas.TryAdd(ProblemSchema, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 7807 problem details; `errors` names each bad field, `rule` the broken rule.",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["rule"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            },
        });
        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
            operation.Security = operation.Extensions?.Remove(Open) == true ? [] : [Requirement(Bearer, document), Requirement(Cookie, document)];
        return Task.CompletedTask;
    }

    private const string Open = "x-ec-open";
    private const string ProblemSchema = "Problem";

    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiDocument document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var feature = Feature(context.Description);
        if (feature is not null) operation.Tags = new HashSet<OpenApiTagReference> { new(feature, context.Document!) };
        var open = metadata.OfType<IAllowAnonymous>().Any();
        if (open)
        {
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions[Open] = new JsonNodeExtension(System.Text.Json.Nodes.JsonValue.Create(true));
        }
        operation.Responses ??= new OpenApiResponses();
        var path = context.Description.RelativePath ?? "";
        var write = !string.Equals(context.Description.HttpMethod, "GET", StringComparison.OrdinalIgnoreCase);
        Problem(operation, context.Document!, "400", "Invalid input: `errors` names each bad field (also a Host header this server does not serve).");
        if (!open)
        {
            Problem(operation, context.Document!, "401", "No token or session, or one that is no longer good.");
            Problem(operation, context.Document!, "403", "The role or the jurisdiction does not allow it.");
        }
        if (path.Contains('{')) Problem(operation, context.Document!, "404", "Unknown, or outside what the caller may see.");
        if (write && !open)
        {
            Problem(operation, context.Document!, "409", "A rule of the current state forbids it: `rule` names it.");
            Problem(operation, context.Document!, "412", "If-Match named a version the stream has moved past.");
        }
        return Task.CompletedTask;
    }

    /// <summary>The feature folder an endpoint lives in: the third part of its namespace (the folder Incidents → "Incidents").</summary>
    private string? Feature(Microsoft.AspNetCore.Mvc.ApiExplorer.ApiDescription description)
    {
        var route = description.RelativePath ?? "";
        if (route.StartsWith("health", StringComparison.Ordinal)) return "Health";
        var types = description.ActionDescriptor.EndpointMetadata.OfType<System.Reflection.MethodInfo>().Select(m => m.DeclaringType)
            .Concat(description.ActionDescriptor.EndpointMetadata.OfType<Wolverine.Http.HttpChain>().Select(c => c.Method.HandlerType));
        var ns = types.FirstOrDefault(t => t?.Namespace?.StartsWith("EmergencyCommand.Server.", StringComparison.Ordinal) == true)?.Namespace;
        var feature = ns?.Split('.').ElementAtOrDefault(2);
        return feature is not null && modules.Registered.Any(m => m.Feature == feature) ? feature : route.StartsWith("api/situation") ? "Situation" : null;
    }

    private static void Problem(OpenApiOperation operation, OpenApiDocument document, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status)) return;
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
            },
        };
    }
}
