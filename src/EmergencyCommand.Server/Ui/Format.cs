using EmergencyCommand.Domain.ResponseLevels;
using NodaTime;
using NodaTime.Text;

namespace EmergencyCommand.Server.Ui;

/// <summary>How the console writes times, places and levels for people: Beijing time, division names, level colours.</summary>
public static class Format
{
    public static readonly DateTimeZone Beijing = Domain.Shared.CommandTime.Zone;

    private static readonly ZonedDateTimePattern Minutes = ZonedDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm", null);
    private static readonly ZonedDateTimePattern Seconds = ZonedDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm:ss", null);

    public static string Time(Instant? at) => at is { } i ? Minutes.Format(i.InZone(Beijing)) : "—";

    public static string TimeWithSeconds(Instant? at) => at is { } i ? Seconds.Format(i.InZone(Beijing)) : "—";

    /// <summary>"420102 江岸区" / "420102 Jiang'an" where the bundled table knows the code.</summary>
    public static string Place(string? code, Texts l)
    {
        if (string.IsNullOrEmpty(code)) return "—";
        if (code == Domain.Shared.Jurisdictions.Nation) return l["nation"];
        var name = l.Language == "en" ? Domain.Shared.DivisionNames.EnglishName(code) : Domain.Shared.DivisionNames.ChineseName(code);
        return name is null ? code : $"{code} {name}";
    }

    public static string Colour(ResponseLevel? level) => level switch
    {
        ResponseLevel.I => "#c62828",
        ResponseLevel.II => "#bf360c",
        ResponseLevel.III => "#f9a825",
        ResponseLevel.IV => "#1565c0",
        _ => "#e0e0e0",
    };

    /// <summary>Text on a level's colour that keeps AA contrast (dark on yellow, white on the others).</summary>
    public static string OnColour(ResponseLevel? level) => level is ResponseLevel.III or null ? "#1a1a1a" : "#ffffff";

    /// <summary>A due time as people say it: overdue, due soon, or when.</summary>
    public static string Due(Instant due, Instant now, Texts l) =>
        due <= now ? l.Format("due.overdue", Time(due)) : l.Format("due.at", Time(due));
}
