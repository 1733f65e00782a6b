using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace EmergencyCommand.Server.Platform;

/// <summary>The wire format of every answer: camelCase, enums as their names, instants as ISO-8601 UTC.</summary>
public static class Json
{
    public static void Configure(System.Text.Json.JsonSerializerOptions options)
    {
        options.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
        options.Converters.Insert(0, new LenientInstantConverter());
        SafeValues.Configure(options);
        options.Converters.Add(new OneNameEnumConverter());
        options.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
    }
}
