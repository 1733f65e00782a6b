using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EmergencyCommand.Server.Platform;

namespace EmergencyCommand.Server.Audit;

/// <summary>One link of the tamper-evidence chain: the hash of an event and of everything committed before it.</summary>
/// <param name="Form">
/// The canonical form this link hashed (<see cref="AuditChain.CurrentForm"/>); links stored before forms had a number read
/// as 0 and mean form 1. Old links keep their form, so the evidence they carry is never recomputed away.
/// </param>
public sealed record ChainLink(long Sequence, string Hash, int Form);

/// <summary>
/// The links of the events whose sequences fall in [<see cref="Id"/>, <see cref="Id"/> + <see cref="Size"/>), in commit
/// order: one document for up to <see cref="Size"/> events, because one per event cost the daemon a row write per event.
/// The ranges are fixed, so a page of the daemon that starts inside a block extends it and a rebuild rewrites the
/// same documents.
/// </summary>
public sealed class AuditBlock
{
    public const int Size = 256;

    /// <summary>The first sequence the block covers: 1, 257, 513… (never 0, which Marten would replace with an id of its own).</summary>
    public long Id { get; set; }

    public List<ChainLink> Links { get; set; } = [];

    public static long IdOf(long sequence) => (sequence - 1) / Size * Size + 1;
}

/// <summary>A link as stored before blocks, one document per event; these stay as they are and are still read.</summary>
public sealed class AuditLink
{
    public long Id { get; set; }
    public long Previous { get; set; }
    public string Hash { get; set; } = "";
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
    private static readonly JsonWriterOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public const int CurrentForm = 2;

    /// <summary>The form a link was hashed in (0, before forms were numbered, is form 1).</summary>
    public static int FormOf(ChainLink link) => link.Form == 0 ? 1 : link.Form;

    public static byte[] Next(byte[] previous, RawEvent e, int form = CurrentForm)
    {
        var buffer = new ArrayBufferWriter<byte>(previous.Length + e.Data.Length * 2 + 1024);
        buffer.Write(previous);
        WriteCanonical(buffer, e, form);
        return SHA256.HashData(buffer.WrittenSpan);
    }

    public static string Canonical(RawEvent e, int form = CurrentForm)
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteCanonical(buffer, e, form);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Written straight into bytes, keys in ordinal order: the fields below are listed in that order by hand (the pinned
    /// texts in CanonicalFormTests hold them there), and the event's own JSON is sorted as it is copied.
    /// </summary>
    private static void WriteCanonical(IBufferWriter<byte> output, RawEvent e, int form)
    {
        using var data = JsonDocument.Parse(e.Data);
        using var headers = e.Headers is null ? null : JsonDocument.Parse(e.Headers);
        using var json = new Utf8JsonWriter(output, Compact);
        json.WriteStartObject();
        if (form >= 2) json.WriteString("binaryData", e.BinaryData);
        json.WriteString("causationId", e.CausationId);
        json.WriteString("correlationId", e.CorrelationId);
        json.WritePropertyName("data");
        WriteSorted(json, data.RootElement);
        json.WriteString("dotnetType", e.DotnetType);
        if (form >= 2) json.WriteNumber("form", 2);
        json.WritePropertyName("headers");
        if (headers is null) json.WriteNullValue();
        else WriteSorted(json, headers.RootElement);
        json.WriteString("id", e.Id.ToString("D"));
        if (form >= 2)
        {
            json.WritePropertyName("isArchived");
            if (e.IsArchived is { } archived) json.WriteBooleanValue(archived);
            else json.WriteNullValue();
        }
        json.WriteNumber("sequence", e.Sequence);
        if (form >= 2)
        {
            json.WritePropertyName("stream");
            if (e.Stream is not { } stream) json.WriteNullValue();
            else
            {
                json.WriteStartObject();
                json.WriteString("created", Time(stream.Created));
                json.WriteString("id", stream.Id.ToString("D"));
                json.WriteString("tenantId", stream.TenantId);
                json.WriteString("type", stream.Type);
                json.WriteEndObject();
            }
        }
        json.WriteString("streamId", e.StreamId.ToString("D"));
        if (form >= 2) json.WriteString("tenantId", e.TenantId);
        json.WriteString("timestamp", Time(e.Timestamp));
        json.WriteString("type", e.Type);
        json.WriteString("userName", e.UserName);
        json.WriteNumber("version", e.Version);
        json.WriteEndObject();
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static void WriteSorted(Utf8JsonWriter json, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                // Each name read once (JsonProperty.Name decodes a new string on every call), then sorted in place.
                var properties = new List<(string Name, JsonElement Value)>();
                foreach (var property in element.EnumerateObject()) properties.Add((property.Name, property.Value));
                properties.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                json.WriteStartObject();
                foreach (var (name, value) in properties)
                {
                    json.WritePropertyName(name);
                    WriteSorted(json, value);
                }
                json.WriteEndObject();
                break;
            case JsonValueKind.Array:
                json.WriteStartArray();
                foreach (var item in element.EnumerateArray()) WriteSorted(json, item);
                json.WriteEndArray();
                break;
            default:
                element.WriteTo(json);
                break;
        }
    }
}
