using EmergencyCommand.Server.Audit;
using EmergencyCommand.Server.Platform;

namespace EmergencyCommand.Server.Tests.Audit;

/// <summary>
/// The canonical text is what every stored link hashed: any change to it, however harmless it looks, breaks every chain
/// already written. These texts were produced by the first implementation and pin both forms byte for byte.
/// </summary>
public sealed class CanonicalFormTests
{
    private static readonly RawEvent Awkward = new(
        Sequence: 42, Id: Guid.Parse("0195a3c4-0000-7000-8000-000000000001"), StreamId: Guid.Parse("0195a3c4-0000-7000-8000-0000000000aa"),
        Version: 3, Type: "incident_reported", DotnetType: "EmergencyCommand.Domain.Incidents.IncidentReported, EmergencyCommand.Domain",
        Timestamp: new DateTimeOffset(2026, 1, 23, 8, 9, 10, TimeSpan.FromHours(8)).AddTicks(1234567),
        CorrelationId: "corr-1", CausationId: null, UserName: "wuhan.commander",
        Headers: """{"roles": ["Commander"], "jurisdiction": "420100", "decision": "d-1", "b": {"z": 1, "a": [true, false, null]}}""",
        Data: """{"title": "武汉 \"华南\" 市场\\聚集 <&>\n\u0001 😷", "zeta": 1.50, "alpha": {"y": -0, "x": 1e3, "big": 12345678901234567890}, "empty": {}, "list": [], "ok": true, "none": null}""")
    {
        BinaryData = null, TenantId = "*DEFAULT*", IsArchived = false,
        Stream = new RawStream(Guid.Parse("0195a3c4-0000-7000-8000-0000000000aa"), "incident",
            new DateTimeOffset(2026, 1, 23, 0, 9, 10, TimeSpan.Zero), "*DEFAULT*"),
    };

    [Fact]
    public void Form_2_is_unchanged() =>
        AuditChain.Canonical(Awkward, 2).Should().Be(
            """
            {"binaryData":null,"causationId":null,"correlationId":"corr-1","data":{"alpha":{"big":12345678901234567890,"x":1e3,"y":-0},"empty":{},"list":[],"none":null,"ok":true,"title":"武汉 \"华南\" 市场\\聚集 <&>\n\u0001 \uD83D\uDE37","zeta":1.50},"dotnetType":"EmergencyCommand.Domain.Incidents.IncidentReported, EmergencyCommand.Domain","form":2,"headers":{"b":{"a":[true,false,null],"z":1},"decision":"d-1","jurisdiction":"420100","roles":["Commander"]},"id":"0195a3c4-0000-7000-8000-000000000001","isArchived":false,"sequence":42,"stream":{"created":"2026-01-23T00:09:10.000000Z","id":"0195a3c4-0000-7000-8000-0000000000aa","tenantId":"*DEFAULT*","type":"incident"},"streamId":"0195a3c4-0000-7000-8000-0000000000aa","tenantId":"*DEFAULT*","timestamp":"2026-01-23T00:09:10.123456Z","type":"incident_reported","userName":"wuhan.commander","version":3}
            """);

    [Fact]
    public void Form_1_is_unchanged() =>
        AuditChain.Canonical(Awkward, 1).Should().Be(
            """
            {"causationId":null,"correlationId":"corr-1","data":{"alpha":{"big":12345678901234567890,"x":1e3,"y":-0},"empty":{},"list":[],"none":null,"ok":true,"title":"武汉 \"华南\" 市场\\聚集 <&>\n\u0001 \uD83D\uDE37","zeta":1.50},"dotnetType":"EmergencyCommand.Domain.Incidents.IncidentReported, EmergencyCommand.Domain","headers":{"b":{"a":[true,false,null],"z":1},"decision":"d-1","jurisdiction":"420100","roles":["Commander"]},"id":"0195a3c4-0000-7000-8000-000000000001","sequence":42,"streamId":"0195a3c4-0000-7000-8000-0000000000aa","timestamp":"2026-01-23T00:09:10.123456Z","type":"incident_reported","userName":"wuhan.commander","version":3}
            """);

    [Fact]
    public void A_missing_stream_row_and_headers_are_nulls() =>
        AuditChain.Canonical(Awkward with { Stream = null, Headers = null, BinaryData = "00ff", IsArchived = null }, 2).Should().Be(
            """
            {"binaryData":"00ff","causationId":null,"correlationId":"corr-1","data":{"alpha":{"big":12345678901234567890,"x":1e3,"y":-0},"empty":{},"list":[],"none":null,"ok":true,"title":"武汉 \"华南\" 市场\\聚集 <&>\n\u0001 \uD83D\uDE37","zeta":1.50},"dotnetType":"EmergencyCommand.Domain.Incidents.IncidentReported, EmergencyCommand.Domain","form":2,"headers":null,"id":"0195a3c4-0000-7000-8000-000000000001","isArchived":null,"sequence":42,"stream":null,"streamId":"0195a3c4-0000-7000-8000-0000000000aa","tenantId":"*DEFAULT*","timestamp":"2026-01-23T00:09:10.123456Z","type":"incident_reported","userName":"wuhan.commander","version":3}
            """);
}
