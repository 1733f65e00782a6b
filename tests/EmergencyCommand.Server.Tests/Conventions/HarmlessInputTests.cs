using System.Net;
using System.Text.Json.Nodes;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Conventions;

/// <summary>Input that once answered 500, overflowed a count or locked a jurisdiction: each is now a 400 naming the field, or a rule.</summary>
public sealed class HarmlessInputTests(AppFixture fixture) : ServerTest(fixture)
{
    private static string[] FieldsOf(Response problem) =>
        (problem.Json["errors"] ?? throw new InvalidOperationException($"no errors in {problem}")).AsObject().Select(e => e.Key).ToArray();

    private static string Incident(string title, string latitude = "30.62", string occurredAt = "2020-01-20T08:00:00Z", string category = "PublicHealth") =>
        $$"""{"category":"{{category}}","title":{{title}},"description":"d","jurisdiction":"420102","location":{"latitude":{{latitude}},"longitude":114.26},"occurredAt":"{{occurredAt}}","source":"Hospital"}""";

    [Theory]
    [InlineData("\"Fever\\u0000cluster\"", "title")]
    [InlineData("\"Fever \\ud800 cluster\"", "title")]
    [InlineData("\"Fever \\udc00\"", "title")]
    public async Task Text_with_a_NUL_or_an_unpaired_surrogate_is_a_400_naming_the_field(string title, string field)
    {
        var answer = (await Reporter.Send(HttpMethod.Post, "/api/incidents", Incident(title), null)).ShouldBe(HttpStatusCode.BadRequest);
        FieldsOf(answer).Should().Equal(field);
    }

    [Theory]
    [InlineData("\"NaN\"")]
    [InlineData("\"Infinity\"")]
    [InlineData("\"-Infinity\"")]
    [InlineData("1e400")]
    public async Task A_number_that_is_not_finite_is_a_400_naming_the_field(string latitude)
    {
        var answer = (await Reporter.Send(HttpMethod.Post, "/api/incidents", Incident("\"Fever cluster\"", latitude), null))
            .ShouldBe(HttpStatusCode.BadRequest);
        FieldsOf(answer).Should().Equal("location.latitude");
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00+08:00")]
    [InlineData("9999-12-31T23:00:00-08:00")]
    [InlineData("1899-12-31T00:00:00Z")]
    public async Task An_instant_whose_offset_leaves_the_calendar_or_that_lies_outside_1900_to_2200_is_a_400_naming_the_field(string instant)
    {
        FieldsOf((await Reporter.Send(HttpMethod.Post, "/api/incidents", Incident("\"Fever cluster\"", occurredAt: instant), null))
            .ShouldBe(HttpStatusCode.BadRequest)).Should().Equal("occurredAt");
        FieldsOf((await National.Get($"/api/incidents?asOf={Uri.EscapeDataString(instant)}")).ShouldBe(HttpStatusCode.BadRequest)).Should().Equal("asOf");
    }

    [Fact]
    public async Task Several_names_where_one_value_is_asked_are_a_400_naming_the_field()
    {
        // System.Text.Json and Enum.TryParse would combine "I, II" into level III: a decision nobody made.
        FieldsOf((await Hubei.Post("/api/jurisdictions/420000/response-level", new { level = "I, II", rationale = "Two levels at once" }))
            .ShouldBe(HttpStatusCode.BadRequest)).Should().Equal("level");
        FieldsOf((await Reporter.Send(HttpMethod.Post, "/api/incidents", Incident("\"Fever cluster\"", category: "PublicHealth, Accident"), null))
            .ShouldBe(HttpStatusCode.BadRequest)).Should().Equal("category");
        FieldsOf((await Logistics.Get("/api/supply-requests?status=Open,Allocated")).ShouldBe(HttpStatusCode.BadRequest)).Should().Equal("status");
        (await Reporter.Send(HttpMethod.Post, "/api/incidents", Incident("\"Fever cluster\"", category: "Accident"), null)).ShouldBe(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("{}", new[] { "location.latitude", "location.longitude" })]
    [InlineData("""{"lat":30.6,"lng":114.3}""", new[] { "location.latitude", "location.longitude" })]
    [InlineData("""{"latitude":30.6}""", new[] { "location.longitude" })]
    public async Task A_place_without_both_coordinates_is_a_400_naming_each_missing_one_not_a_report_at_zero_zero(string location, string[] missing)
    {
        var report = Incident("\"Fever cluster\"").Replace("""{"latitude":30.62,"longitude":114.26}""", location);
        FieldsOf((await Reporter.Send(HttpMethod.Post, "/api/incidents", report, null)).ShouldBe(HttpStatusCode.BadRequest)).Should().BeEquivalentTo(missing);
    }

    [Fact]
    public async Task A_paired_surrogate_is_text_like_any_other()
    {
        (await Reporter.Send(HttpMethod.Post, "/api/incidents", Incident("\"Flood 🌊 at the dyke\""), null)).ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_NUL_in_a_query_string_is_a_400_naming_it()
    {
        // (A NUL in the path never reaches the server: Kestrel and the test host refuse the request line itself.)
        FieldsOf((await National.Get("/api/incidents?q=a%00b")).ShouldBe(HttpStatusCode.BadRequest)).Should().Equal("q");
        (await National.Get("/api/incidents?q=%ED%A0%80")).ShouldBe(HttpStatusCode.OK, "an invalid byte sequence decodes to U+FFFD");
    }

    [Fact]
    public async Task Quantities_above_a_billion_per_line_are_refused_and_stock_never_turns_negative()
    {
        var depot = (await Logistics.Post("/api/depots", new { name = "Hankou depot", jurisdiction = "420100" })).ShouldBe(HttpStatusCode.Created).Id;

        foreach (var _ in Enumerable.Range(0, 2))
        {
            var refused = (await Logistics.Send(HttpMethod.Post, $"/api/depots/{depot}/receipts",
                """{"item":"N95 mask","quantity":9223372036854775807,"source":"x"}""", null)).ShouldBe(HttpStatusCode.BadRequest);
            FieldsOf(refused).Should().Equal("quantity");
        }
        (await Logistics.Post($"/api/depots/{depot}/receipts", new { item = "N95 mask", quantity = 1_000_000_000, source = "Stockpile" }))
            .ShouldBe(HttpStatusCode.OK);
        var request = await Logistics.Post("/api/supply-requests", new
        {
            requester = "Jinyintan Hospital", jurisdiction = "420105", priority = "Critical",
            lines = new[] { new { item = "N95 mask", quantity = 1_000_000_001L } }, neededBy = InOneDay,
        });
        FieldsOf(request.ShouldBe(HttpStatusCode.BadRequest)).Should().Equal("lines[0].quantity");

        var stock = (await Logistics.Get($"/api/depots/{depot}")).ShouldBe(HttpStatusCode.OK).Json["stock"]!.AsArray().Single()!;
        stock["onHand"]!.GetValue<long>().Should().Be(1_000_000_000);
    }

    [Fact]
    public async Task Checks_on_a_day_outside_any_plausible_range_are_a_400_and_a_shipment_as_of_the_far_future_is_read_as_of_now()
    {
        var channel = (await Logistics.Post("/api/green-channels", new
        {
            name = "Corridor", origin = "A", destination = "B", checkpoints = new[] { new { code = "K1", name = "Gate" } },
            validFrom = DateTimeOffset.UtcNow.AddDays(-1).ToString("O"), validUntil = DateTimeOffset.UtcNow.AddDays(5).ToString("O"),
            cargo = new[] { "Medical supplies" }, jurisdiction = "000000",
        })).ShouldBe(HttpStatusCode.Created).Id;

        FieldsOf((await Logistics.Get($"/api/green-channels/{channel}/checks?on=9999-12-31T23:59:59Z")).ShouldBe(HttpStatusCode.BadRequest))
            .Should().Equal("on");
        (await Logistics.Get($"/api/green-channels/{channel}/checks?on={DateTimeOffset.UtcNow.AddDays(3):yyyy-MM-ddTHH:mm:ssZ}"))
            .ShouldBe(HttpStatusCode.OK).Json.AsArray().Should().BeEmpty();
        FieldsOf((await Logistics.Get($"/api/green-channels/{channel}?asOf=9999-12-31T23:59:59Z")).ShouldBe(HttpStatusCode.BadRequest))
            .Should().Equal("asOf");
        // Within range but years ahead: the channel as it is now.
        (await Logistics.Get($"/api/green-channels/{channel}?asOf=2150-01-01T00:00:00Z")).ShouldBe(HttpStatusCode.OK)
            .Json["status"]!.GetValue<string>().Should().Be("Open");
    }

    [Theory]
    [InlineData(-25 * 60, true)]
    [InlineData(31 * 24 * 60, true)]
    [InlineData(-23 * 60, false)]
    [InlineData(29 * 24 * 60, false)]
    public async Task EffectiveAt_must_lie_from_a_day_before_now_to_thirty_days_after(int minutesFromNow, bool refused)
    {
        var code = refused ? "420104" : $"42010{5 + (minutesFromNow > 0 ? 1 : 0)}";
        var effectiveAt = DateTimeOffset.UtcNow.AddMinutes(minutesFromNow).ToString("yyyy-MM-ddTHH:mm:ssZ");
        var answer = await Wuhan.Post($"/api/jurisdictions/{code}/response-level", new { level = "IV", rationale = "Precaution", effectiveAt });
        if (refused) FieldsOf(answer.ShouldBe(HttpStatusCode.BadRequest)).Should().Equal("effectiveAt");
        else answer.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_change_scheduled_weeks_ahead_no_longer_locks_the_jurisdiction_a_commander_above_supersedes_it()
    {
        const string code = "420111";
        var ahead = DateTimeOffset.UtcNow.AddDays(20).ToString("yyyy-MM-ddTHH:mm:ssZ");
        (await Wuhan.Post($"/api/jurisdictions/{code}/response-level", new { level = "IV", rationale = "Precaution", effectiveAt = ahead }))
            .ShouldBe(HttpStatusCode.OK);

        // The one who scheduled it cannot put anything before it, nor withdraw it themself.
        (await Wuhan.Post($"/api/jurisdictions/{code}/response-level", new { level = "III", rationale = "Now" })).ShouldBe(HttpStatusCode.Conflict)
            .Json["rule"]!.GetValue<string>().Should().Be("effective-in-order");
        (await Wuhan.Post($"/api/jurisdictions/{code}/response-level/scheduled-change/supersession", new { rationale = "Mine" }))
            .ShouldBe(HttpStatusCode.Forbidden).Json["rule"]!.GetValue<string>().Should().Be("supersede-authority");

        // The national commander decides now: the scheduled change is superseded first, in the same decision.
        (await National.Post($"/api/jurisdictions/{code}/response-level", new { level = "II", rationale = "Cluster confirmed" }))
            .ShouldBe(HttpStatusCode.OK);
        var level = (await National.Get($"/api/jurisdictions/{code}/response-level")).ShouldBe(HttpStatusCode.OK).Json;
        level["history"]!.AsArray().Select(p => (string?)p!["level"]).Should().Equal("II");
        level["level"]!.GetValue<string>().Should().Be("II");
        level["version"]!.GetValue<long>().Should().Be(3, "declared, superseded, declared again");

        (await Hubei.Post($"/api/jurisdictions/{code}/response-level/scheduled-change/supersession", new { rationale = "Nothing left" }))
            .ShouldBe(HttpStatusCode.Conflict).Json["rule"]!.GetValue<string>().Should().Be("supersede-scheduled");
    }
}
