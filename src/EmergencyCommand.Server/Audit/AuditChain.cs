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

    /// <summary>
    /// The canonical form this link hashed (<see cref="AuditChain.CurrentForm"/>); links stored before forms had a number
    /// read as 0 and mean form 1. Old links keep their form, so the evidence they carry is never recomputed away.
    /// </summary>
    public int Form { get; set; }
}

/// <summary>
/// The chain: hash(n) = SHA-256(hash(n−1) ‖ canonical(event n)), over every event in commit order, with JSON object keys
/// sorted so that PostgreSQL's own re-ordering of jsonb keys changes nothing. Writer and verifier both read raw rows.
/// Form 1 covered the stream, version, sequence, type, data, metadata and timestamp. Form 2 covers every column of the
/// <c>mt_events</c> row and the stream row's fixed columns (id, type, created, tenant): an append changes the stream
/// row's version and timestamp, so those are not hashed per event but checked against the chained events instead
/// (<see cref="EventLog.StreamDrifts"/>).
/// </summary>
public static class AuditChain
{
    public static readonly byte[] Genesis = new byte[32];

    // Leaves are written as JSON text; relaxed escaping keeps Chinese text as itself, so the form is stable and readable.
    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public const int CurrentForm = 2;

    /// <summary>The form a link was hashed in (0, before forms were numbered, is form 1).</summary>
    public static int FormOf(AuditLink link) => link.Form == 0 ? 1 : link.Form;

    public static byte[] Next(byte[] previous, RawEvent e, int form = CurrentForm)
    {
        var canonical = Encoding.UTF8.GetBytes(Canonical(e, form));
        var buffer = new byte[previous.Length + canonical.Length];
        previous.CopyTo(buffer, 0);
        canonical.CopyTo(buffer, previous.Length);
        return SHA256.HashData(buffer);
    }

    public static string Canonical(RawEvent e, int form = CurrentForm)
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
            ["timestamp"] = Time(e.Timestamp),
            ["type"] = e.Type,
            ["userName"] = e.UserName,
            ["version"] = e.Version,
        };
        if (form >= 2)
        {
            node["binaryData"] = e.BinaryData;
            node["form"] = 2;
            node["isArchived"] = e.IsArchived;
            node["tenantId"] = e.TenantId;
            node["stream"] = e.Stream is not { } stream ? null : new JsonObject
            {
                ["created"] = Time(stream.Created),
                ["id"] = stream.Id.ToString("D"),
                ["tenantId"] = stream.TenantId,
                ["type"] = stream.Type,
            };
        }
        var output = new StringBuilder();
        Write(node, output);
        return output.ToString();
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

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
