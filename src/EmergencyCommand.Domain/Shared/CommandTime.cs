using NodaTime;
using NodaTime.Text;

namespace EmergencyCommand.Domain.Shared;

/// <summary>
/// How an instant is written in a sentence people read (timelines, reviews, refusals): in the command centre's zone,
/// Beijing time, as the console shows every other time, with the offset written out so the sentence stays exact
/// beside data kept in UTC (an export's "at" column). Seconds only when the instant has them.
/// </summary>
public static class CommandTime
{
    public static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];

    private static readonly ZonedDateTimePattern ToTheMinute = ZonedDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm o<+HH:mm>", null);
    private static readonly ZonedDateTimePattern ToTheSecond = ZonedDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm:ss o<+HH:mm>", null);

    /// <summary>"2020-01-23 10:00 +08:00" for 2020-01-23T02:00:00Z.</summary>
    public static string Said(Instant at)
    {
        var zoned = at.InZone(Zone);
        return (zoned.Second == 0 && zoned.NanosecondOfSecond == 0 ? ToTheMinute : ToTheSecond).Format(zoned);
    }
}
