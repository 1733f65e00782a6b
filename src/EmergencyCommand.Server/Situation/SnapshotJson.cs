using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.Situation;

namespace EmergencyCommand.Server.Situation;

/// <summary>
/// How a snapshot stores the situation, otherwise with the options of the serializer that calls it (Marten's): what
/// <see cref="SituationState.ForSnapshot"/> keeps (the open incidents counted, only those with open tasks whole), without
/// null and default members, and those incidents as a list (each carries its id) without the texts their board copy
/// leaves blank. Loading the latest snapshot is most of an asOf's time. Earlier forms read back: every open incident
/// keyed by id, every text written, or as a list, both without counts (they are counted on reading).
/// </summary>
public sealed class SnapshotJson : JsonConverter<SituationState>
{
    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> Compact = new();

    // The converter sits on a property, not on SituationState, so neither call below comes back to it.
    public override SituationState Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var state = JsonSerializer.Deserialize<SituationState>(ref reader, For(options)) ?? SituationState.Empty;
        return state.Partial ? state : state.Recounted();
    }

    public override void Write(Utf8JsonWriter writer, SituationState value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value.ForSnapshot(), For(options));

    private static JsonSerializerOptions For(JsonSerializerOptions options) => Compact.GetValue(options, o =>
        new JsonSerializerOptions(o)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault, Converters = { new IncidentList(), new OpenCounts() },
        });

    /// <summary>The open incidents' counts, as a list of kinds with their count.</summary>
    private sealed class OpenCounts : JsonConverter<ImmutableDictionary<IncidentKind, int>>
    {
        private sealed record Counted(string Jurisdiction, IncidentStatus Status, IncidentCategory Category, Severity? Severity, int Count);

        public override ImmutableDictionary<IncidentKind, int> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            (JsonSerializer.Deserialize<List<Counted>>(ref reader, options) ?? throw new JsonException("open incident counts: null"))
            .ToImmutableDictionary(c => new IncidentKind(c.Jurisdiction, c.Status, c.Category, c.Severity), c => c.Count);

        public override void Write(Utf8JsonWriter writer, ImmutableDictionary<IncidentKind, int> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.Select(c => new Counted(c.Key.Jurisdiction, c.Key.Status, c.Key.Category, c.Key.Severity, c.Value)), options);
    }

    /// <summary>The incidents kept whole: a list written, a list or (earlier snapshots) an object keyed by id read.</summary>
    private sealed class IncidentList : JsonConverter<ImmutableDictionary<Guid, Incident>>
    {
        public override ImmutableDictionary<Guid, Incident> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var incidents = ImmutableDictionary.CreateBuilder<Guid, Incident>();
            var list = reader.TokenType == JsonTokenType.StartArray;
            if (!list && reader.TokenType != JsonTokenType.StartObject) throw new JsonException("incidents: expected a list or an object");
            while (reader.Read() && reader.TokenType is not (JsonTokenType.EndArray or JsonTokenType.EndObject))
            {
                var key = list ? (Guid?)null : Guid.Parse(reader.GetString()!);
                if (!list) reader.Read();
                var incident = Unblanked(JsonSerializer.Deserialize<Incident>(ref reader, options)
                                         ?? throw new JsonException("incidents: an incident is null"));
                incidents[key ?? incident.Id] = incident;
            }
            return incidents.ToImmutable();
        }

        public override void Write(Utf8JsonWriter writer, ImmutableDictionary<Guid, Incident> value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (var incident in value.Values) JsonSerializer.Serialize(writer, Blanked(incident), options);
            writer.WriteEndArray();
        }

        // Null is left out when written (WhenWritingDefault); read back, it is the blank it stood for.
        private static Incident Blanked(Incident i) => i with
        {
            Title = NullIfBlank(i.Title), Description = NullIfBlank(i.Description),
            Tasks = i.Tasks.IsEmpty ? null! : i.Tasks.ConvertAll(t => t with { Department = NullIfBlank(t.Department), Instruction = NullIfBlank(t.Instruction) }),
        };

        private static Incident Unblanked(Incident i) => i with
        {
            Title = i.Title ?? "", Description = i.Description ?? "",
            Tasks = i.Tasks is null ? [] : i.Tasks.ConvertAll(t => t with { Department = t.Department ?? "", Instruction = t.Instruction ?? "" }),
        };

        private static string NullIfBlank(string text) => text.Length == 0 ? null! : text;
    }
}
