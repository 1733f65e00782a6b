using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Text;

namespace EmergencyCommand.Server.Platform;

/// <summary>
/// Reads an instant written as UTC (<c>2020-01-24T02:00:00Z</c>) or with an offset
/// (<c>2020-01-24T10:00:00+08:00</c>, what a console in Beijing time sends); always writes UTC. Like a query's instant,
/// one in a body lies between 1900 and 2200: nothing here happened outside them, and a timer set outside what a
/// database timestamp holds would fail the command after its checks.
/// </summary>
public sealed class LenientInstantConverter : JsonConverter<Instant>
{
    public override Instant Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // No message of its own: then the serializer names the field's path, and the 400 names the field and says what an
        // instant must be (ProblemMapping.WhatIsWrong).
        if (reader.TokenType != JsonTokenType.String) throw new JsonException();
        var at = TryParse(reader.GetString()!) ?? throw new JsonException();
        return QueryValues.Plausible(at) ? at : throw new JsonException();
    }

    public static Instant? TryParse(string text)
    {
        var utc = InstantPattern.ExtendedIso.Parse(text);
        if (utc.Success) return utc.Value;
        var offset = OffsetDateTimePattern.ExtendedIso.Parse(text);
        // An offset applied at either end of the calendar would leave it (NodaTime throws): no such date is an instant here.
        return offset.Success && offset.Value.Year is > 1 and < 9999 ? offset.Value.ToInstant() : null;
    }

    public override void Write(Utf8JsonWriter writer, Instant value, JsonSerializerOptions options) =>
        writer.WriteStringValue(InstantPattern.ExtendedIso.Format(value));
}
