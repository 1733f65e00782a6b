using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EmergencyCommand.Server.Platform;

namespace EmergencyCommand.Server.Audit;

/// <summary>One link of the tamper-evidence chain: the hash of an event and of everything committed before it.</summary>
public sealed class AuditLink
{
    public long Id { get; set; }
    public long Previous { get; set; }
    public string Hash { get; set; } = "";
}

/// <summary>
/// The chain: hash(n) = SHA-256(hash(n−1) ‖ canonical(event n)), over every event in commit order. The canonical
/// form covers the stream, version, sequence, type, data, metadata and timestamp, with JSON object keys sorted so
/// that PostgreSQL's own re-ordering of jsonb keys changes nothing. Writer and verifier both read raw rows.
/// </summary>
public static class AuditChain
{
    public static readonly byte[] Genesis = new byte[32];

    // Leaves are written as JSON text; relaxed escaping keeps Chinese text as itself, so the form is stable and readable.
    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Next(byte[] previous, RawEvent e)
    {
        var canonical = Encoding.UTF8.GetBytes(Canonical(e));
        var buffer = new byte[previous.Length + canonical.Length];
        previous.CopyTo(buffer, 0);
        canonical.CopyTo(buffer, previous.Length);
        return SHA256.HashData(buffer);
    }

    public static string Canonical(RawEvent e)
    {
        var node = new JsonObject
        {
            ["causationId"] = e.CausationId,
            ["correlationId"] = e.CorrelationId,
            ["data"] = JsonNode.Parse(e.Data),
            ["dotnetType"] = e.DotnetType,
            ["headers"] = e.Headers is null ? null : JsonNode.Parse(e.Headers),
            ["id"] = e.Id.ToString("D"),
            ["sequence"] = e.Sequence,
            ["streamId"] = e.StreamId.ToString("D"),
            ["timestamp"] = e.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            ["type"] = e.Type,
            ["userName"] = e.UserName,
            ["version"] = e.Version,
        };
        var output = new StringBuilder();
        Write(node, output);
        return output.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder output)
    {
        switch (node)
        {
            case null:
                output.Append("null");
                break;
            case JsonObject obj:
                output.Append('{');
                var first = true;
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first) output.Append(',');
                    first = false;
                    output.Append(JsonSerializer.Serialize(key, Compact)).Append(':');
                    Write(value, output);
                }
                output.Append('}');
                break;
            case JsonArray array:
                output.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0) output.Append(',');
                    Write(array[i], output);
                }
                output.Append(']');
                break;
            default:
                output.Append(node.ToJsonString(Compact));
                break;
        }
    }
}
