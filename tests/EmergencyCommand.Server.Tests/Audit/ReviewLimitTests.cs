using System.Net;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Audit;

/// <summary>A server that builds a jurisdiction review from at most five events.</summary>
public sealed class FiveEventReviews : AppFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Audit:ReviewMaxEvents"] = "5" };
}

public sealed class ReviewLimitTests(FiveEventReviews fixture) : ServerTest<FiveEventReviews>(fixture)
{
    [Fact]
    public async Task A_review_counts_only_its_own_area_and_refuses_a_range_it_cannot_hold_whole()
    {
        // Given two events in a district, then three elsewhere in the country.
        var start = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O"));
        await Verified("420116");
        foreach (var _ in Enumerable.Range(0, 3)) await Reported("440103");

        // When the district is reviewed, then its two events are the report: the others neither show nor count.
        var review = $"/api/reviews/jurisdictions/420116?from={start}";
        (await Reviewer.Get(review)).ShouldBe(HttpStatusCode.OK).Json["timeline"]!.AsArray().Select(e => e!["type"]!.ToString())
            .Should().Equal("IncidentReported", "IncidentVerified");
        var before = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"));

        // And once the district holds more events in the range than a report may, the range is refused, naming it,
        // rather than cut short; the earlier part still reviews whole.
        await Verified("420116");
        await Verified("420116");
        (await Reviewer.Get(review)).ShouldBe(HttpStatusCode.BadRequest).Json["errors"]!["from"]!.ToString().Should().Contain("more than 5");
        (await Reviewer.Get($"{review}&to={before}")).ShouldBe(HttpStatusCode.OK).Json["timeline"]!.AsArray().Should().HaveCount(2);
    }
}
