using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Text;

namespace EmergencyCommand.Server.Platform;

/// <summary>
/// Reads an instant written as UTC (<c>2020-01-24T02:00:00Z</c>) or with an offset
/// (<c>2020-01-24T10:00:00+08:00</c>, what a console in Beijing time sends); always writes UTC.
/// </summary>
public sealed class LenientInstantConverter : JsonConverter<Instant>
{
    public override Instant Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException("An instant is an ISO-8601 string.");
        var text = reader.GetString()!;
        return TryParse(text) ?? throw new JsonException($"'{text}' is not an ISO-8601 instant such as 2020-01-24T02:00:00Z.");
    }

    public static Instant? TryParse(string text)
    {
        var utc = InstantPattern.ExtendedIso.Parse(text);
        if (utc.Success) return utc.Value;
        var offset = OffsetDateTimePattern.ExtendedIso.Parse(text);
        return offset.Success ? offset.Value.ToInstant() : null;
    }

    public override void Write(Utf8JsonWriter writer, Instant value, JsonSerializerOptions options) =>
        writer.WriteStringValue(InstantPattern.ExtendedIso.Format(value));
}
