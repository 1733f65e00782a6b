using System.Text.Json;
using System.Text.Json.Serialization;

namespace EmergencyCommand.Server.Platform;

/// <summary>
/// What no field may hold, whatever the endpoint: a NUL character (PostgreSQL's jsonb and text refuse it, so it could
/// only fail at commit), an unpaired surrogate (not text at all), a number that is not finite. Caught while the body
/// is read, so the 400 names the field by its JSON path, and nothing is ever half-written because of one.
/// </summary>
public static class SafeValues
{
    /// <summary>Why <paramref name="text"/> cannot be stored, or null when it can.</summary>
    public static string? Problem(string? text)
    {
        if (text is null) return null;
        if (text.Contains('\0')) return "must not contain a NUL character";
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(c)) return "must not contain an unpaired surrogate (it is not valid Unicode text)";
        }
        return null;
    }

    /// <summary>The same rule for query strings and route values, which reach SQL and event bodies as well.</summary>
    public static void UseSafeValues(this WebApplication app) => app.Use(async (context, next) =>
    {
        foreach (var (key, values) in context.Request.Query)
            foreach (var value in values)
                if (Problem(value) is { } problem) throw ProblemException.Invalid(key, problem);
        foreach (var (key, value) in context.Request.RouteValues)
            if (value is string text && Problem(text) is { } problem) throw ProblemException.Invalid(key, problem);
        await next(context);
    });

    public static void Configure(JsonSerializerOptions options)
    {
        options.Converters.Insert(0, new SafeStringConverter());
        options.Converters.Insert(0, new FiniteDoubleConverter());
    }
}

/// <summary>
/// Reads strings, refusing what <see cref="SafeValues.Problem"/> refuses. The exceptions carry no message of their own:
/// only then does the serializer add the field's path, which the 400 names (<see cref="ProblemMapping.Customize"/>).
/// </summary>
public sealed class SafeStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException();
        string text;
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate (\ud800) cannot even be decoded to a .NET string.
            throw new JsonException();
        }
        return SafeValues.Problem(text) is null ? text : throw new JsonException();
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>Reads numbers that are numbers: NaN and the infinities, written as strings or otherwise, are refused.</summary>
public sealed class FiniteDoubleConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number) throw new JsonException();
        var value = reader.GetDouble();
        return double.IsFinite(value) ? value : throw new JsonException();
    }

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
