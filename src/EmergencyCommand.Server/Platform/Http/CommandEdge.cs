using System.Reflection;
using JasperFx;
using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;
using Wolverine.Http;
using Wolverine.Http.CodeGen;

namespace EmergencyCommand.Server.Platform;

/// <summary>
/// The HTTP edge: what an endpoint learns of its caller. A <see cref="CommandContext"/> (who, the <c>If-Match</c> they
/// sent, the request's correlation id) for commands, a <see cref="Reader"/> (who, and what they may see) for reads.
/// Wolverine's generated code for an endpoint that takes one calls <see cref="From"/> or <see cref="Reader.From"/>
/// (a parameter strategy, so nothing is resolved from the container at run time).
/// </summary>
public sealed class CommandEdge : IParameterStrategy
{
    public const string CorrelationHeader = "X-Correlation-Id";

    public bool TryMatch(HttpChain chain, IServiceContainer container, ParameterInfo parameter, out Variable? variable)
    {
        variable = parameter.ParameterType == typeof(CommandContext) ? new MethodCall(typeof(CommandEdge), nameof(From)).ReturnVariable
            : parameter.ParameterType == typeof(Reader) ? new MethodCall(typeof(Reader), nameof(Reader.From)).ReturnVariable
            : null;
        return variable is not null;
    }

    public static CommandContext From(HttpContext http)
    {
        var actor = http.User.ToActor() ?? throw new ProblemException(401, "Unauthorized", "Sign in first: POST /api/auth/token.");
        var correlation = http.Request.Headers[CorrelationHeader].FirstOrDefault() is { Length: > 0 and <= 100 } given ? given : http.TraceIdentifier;
        return new CommandContext(actor, ExpectedVersion(http), correlation);
    }

    /// <summary><c>If-Match: "3"</c> (or W/"3"): act only if the stream the route names is still at version 3.</summary>
    private static long? ExpectedVersion(HttpContext http)
    {
        var header = http.Request.Headers.IfMatch.FirstOrDefault();
        if (string.IsNullOrWhiteSpace(header)) return null;
        var raw = header.Trim().TrimStart('W', '/').Trim('"');
        return long.TryParse(raw, out var v) && v >= 0
            ? v
            : throw ProblemException.Invalid("If-Match", $"'{header}' is not a stream version such as \"3\".");
    }
}
