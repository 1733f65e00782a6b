using System.Text.Json;
using System.Text.Json.Serialization;

namespace EmergencyCommand.Server.Platform;

/// <summary>
/// Enums as their names, one name per value. System.Text.Json reads <c>"I, II"</c> as the two values' bits combined
/// (level III) even for an enum that is no set of flags, so a typo or a list would be recorded as a decision nobody
/// made; such a value is refused (a 400 naming the field), and everything else is read and written as before.
/// </summary>
public sealed class OneNameEnumConverter : JsonConverterFactory
{
    private readonly JsonStringEnumConverter _names = new(allowIntegerValues: false);

    public override bool CanConvert(Type typeToConvert) => _names.CanConvert(typeToConvert);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(OneName<>).MakeGenericType(typeToConvert), _names.CreateConverter(typeToConvert, options))!;

    private sealed class OneName<TEnum>(JsonConverter names) : JsonConverter<TEnum> where TEnum : struct, Enum
    {
        private readonly JsonConverter<TEnum> _names = (JsonConverter<TEnum>)names;

        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && IsList(ref reader) ? throw new JsonException() : _names.Read(ref reader, typeToConvert, options);

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => _names.Write(writer, value, options);

        public override TEnum ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            IsList(ref reader) ? throw new JsonException() : _names.ReadAsPropertyName(ref reader, typeToConvert, options);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            _names.WriteAsPropertyName(writer, value, options);

        private static bool IsList(ref Utf8JsonReader reader) => reader.GetString()?.Contains(',') == true;
    }
}
