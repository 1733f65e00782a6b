using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EmergencyCommand.Server.Platform;

/// <summary>
/// Writes a value without its null and default members, otherwise with the options of the serializer that calls it
/// (Marten's). Read back, a missing member is its default, so nothing is lost. For large documents made mostly of
/// defaults: the situation snapshots, whose copies of open incidents leave out what the board never reads.
/// </summary>
public sealed class WithoutDefaults<T> : JsonConverter<T>
{
    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> Compact = new();

    // The converter sits on a property, not on T, so neither call below comes back to it.
    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<T>(ref reader, options);

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value,
            Compact.GetValue(options, o => new JsonSerializerOptions(o) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault }));
}
