using System.Net;
using EmergencyCommand.Server.Tests.Infrastructure;
using Marten.Events;

namespace EmergencyCommand.Server.Tests.Decisions;

public sealed class DecisionLogTests(AppFixture fixture) : ServerTest(fixture)
{
    [Fact]
    public async Task Every_command_of_a_commander_is_a_decision_with_who_when_why_and_its_events()
    {
        var incident = await Reported("420902");
        var verified = (await Hubei.Post($"/api/incidents/{incident}/verify", new { note = "CDC confirmed" },
            h => h.Add("X-Correlation-Id", "corr-verify-1"))).ShouldBe(HttpStatusCode.OK);
        var level = (await Hubei.Post("/api/jurisdictions/420900/response-level", new { level = "II", rationale = "Cluster in Xiaogan" }))
            .ShouldBe(HttpStatusCode.OK).Json;
        await Settled();

        var decisions = (await Reviewer.Get("/api/decisions?jurisdiction=420900")).ShouldBe(HttpStatusCode.OK).Json.AsArray();
        // A commander's own report is a decision too (the national commander reported this one).
        decisions.Select(d => d!["type"]!.ToString()).Should().Equal("IncidentReported", "IncidentVerified", "ResponseLevelDeclared");
        // A page at a time, with the total that match (a review sees when there is more than one page).
        var second = (await Reviewer.Get("/api/decisions?jurisdiction=420900&offset=1&limit=1")).ShouldBe(HttpStatusCode.OK);
        second.Headers["X-Total-Count"].Should().Be("3");
        second.Json.AsArray().Select(d => d!["type"]!.ToString()).Should().Equal("IncidentVerified");
        // Newest first on request, so a long log still opens on what was just decided.
        (await Reviewer.Get("/api/decisions?jurisdiction=420900&order=newest&limit=2")).ShouldBe(HttpStatusCode.OK).Json.AsArray()
            .Select(d => d!["type"]!.ToString()).Should().Equal("ResponseLevelDeclared", "IncidentVerified");
        (await Reviewer.Get("/api/decisions?order=sideways")).ShouldBe(HttpStatusCode.BadRequest).Json["errors"]!["order"].Should().NotBeNull();
        await Reported("420102");
        await Settled();
        (await Reviewer.Get("/api/decisions?actor=reporter")).Json.AsArray().Should().BeEmpty("a field reporter's report is not a decision");

        var levelDecision = decisions.Single(d => d!["id"]!.ToString() == level["decisionId"]!.ToString())!;
        levelDecision["decidedBy"]!.ToString().Should().Be("hubei");
        levelDecision["roles"]!.AsArray().Select(r => r!.ToString()).Should().Equal("Commander");
        levelDecision["rationale"]!.ToString().Should().Be("Cluster in Xiaogan");
        levelDecision["jurisdiction"]!.ToString().Should().Be("420900");

        var verify = decisions[1]!;
        var detail = (await Reviewer.Get($"/api/decisions/{verify["id"]}")).ShouldBe(HttpStatusCode.OK).Json;
        detail["correlationId"]!.ToString().Should().Be("corr-verify-1");
        detail["deciderJurisdictions"]!.AsArray().Select(j => j!.ToString()).Should().Equal("420000");
        detail["events"]!.AsArray().Single()!["sequence"]!.GetValue<long>().Should().Be(detail["sequence"]!.GetValue<long>());
        detail["rationale"]!.ToString().Should().Be("CDC confirmed");

        (await Reviewer.Get("/api/decisions?actor=hubei")).Json.AsArray().Should().OnlyContain(d => d!["decidedBy"]!.ToString() == "hubei");

        // A time range: exactly the decisions made in it.
        var at = Uri.EscapeDataString(levelDecision["decidedAt"]!.ToString());
        var inRange = (await Reviewer.Get($"/api/decisions?jurisdiction=420900&from={at}&to={at}")).ShouldBe(HttpStatusCode.OK).Json.AsArray();
        inRange.Select(d => d!["id"]!.ToString()).Should().Equal(levelDecision["id"]!.ToString());
        (await Reviewer.Get($"/api/decisions?jurisdiction=420900&to={Uri.EscapeDataString(decisions[0]!["decidedAt"]!.ToString())}")).Json.AsArray()
            .Should().ContainSingle();
        (await Reviewer.Get($"/api/decisions/{Guid.NewGuid()}")).ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_coordinators_allocation_is_a_decision_about_the_request_that_records_its_departure_from_the_plan()
    {
        // Given: stock for 100 and two requests of 60, the critical one first in the plan (60, then 40).
        var item = $"Test kit {Guid.NewGuid():N}"[..17];
        var depot = (await Logistics.Post("/api/depots", new { name = "Wuchang depot", jurisdiction = "420100" })).ShouldBe(HttpStatusCode.Created).Id;
        (await Logistics.Post($"/api/depots/{depot}/receipts", new { item, quantity = 100, source = "Factory" })).ShouldBe(HttpStatusCode.OK);
        async Task<Guid> Request(string priority) => (await Logistics.Post("/api/supply-requests", new
        {
            requester = $"{priority} ward", jurisdiction = "420106", priority, lines = new[] { new { item, quantity = 60 } }, neededBy = InOneDay,
        })).ShouldBe(HttpStatusCode.Created).Id;
        var critical = await Request("Critical");
        var low = await Request("Normal");

        // When: the coordinator serves the normal-priority request in full, against the plan's 40.
        (await Logistics.Post($"/api/supply-requests/{low}/allocations",
            new { depotId = depot, lines = new[] { new { item, quantity = 60 } }, rationale = "Ward reopened for the outbreak" })).ShouldBe(HttpStatusCode.Created);
        await Settled();

        // Then: the decision is the allocation on the request, with its why and its departure, over both streams' events.
        var decisions = (await Reviewer.Get("/api/decisions?actor=logistics&jurisdiction=420106")).ShouldBe(HttpStatusCode.OK).Json.AsArray()
            .Where(d => d!["streamId"]!.ToString() == low.ToString()).ToList();
        decisions.Select(d => d!["type"]!.ToString()).Should().Equal("SupplyRequested", "SuppliesAllocated");
        var decision = decisions[1]!;
        decision["roles"]!.AsArray().Select(r => r!.ToString()).Should().Contain("LogisticsCoordinator");
        decision["rationale"]!.ToString().Should().Be("Ward reopened for the outbreak");
        decision["jurisdiction"]!.ToString().Should().Be("420106");
        decision["departsFromPlan"]!.GetValue<bool>().Should().BeTrue();
        var detail = (await Reviewer.Get($"/api/decisions/{decision["id"]}")).ShouldBe(HttpStatusCode.OK).Json;
        detail["departsFromPlan"]!.GetValue<bool>().Should().BeTrue();
        detail["events"]!.AsArray().Select(e => e!["type"]!.ToString()).Should().Equal("StockReserved", "SuppliesAllocated");
        _ = critical;
    }

    [Fact]
    public async Task Known_situation_includes_everything_before_the_decision_and_excludes_its_own_effect()
    {
        // Given: a verified incident in Suizhou and a level declared for it.
        var before = await Verified("421302");
        (await Hubei.Post("/api/jurisdictions/421300/response-level", new { level = "III", rationale = "First cluster" })).ShouldBe(HttpStatusCode.OK);

        // When: the commander escalates.
        var escalation = (await Hubei.Post("/api/jurisdictions/421300/response-level", new { level = "II", rationale = "Spreading" })).Json;
        // And something happens afterwards that the decider could not have known.
        await Reported("421302");
        await Settled();

        // Then: the decider saw level III (not their own II), and exactly one incident in Suizhou.
        var detail = (await Reviewer.Get($"/api/decisions/{escalation["decisionId"]}?jurisdiction=421300")).ShouldBe(HttpStatusCode.OK).Json;
        var known = detail["knownSituation"]!;
        known["responseLevels"]!.AsArray().Single()!["level"]!.ToString().Should().Be("III");
        known["incidents"]!["total"]!.GetValue<int>().Should().Be(1);
        known["incidents"]!["byStatus"]!["Verified"]!.GetValue<int>().Should().Be(1);
        known["sequence"]!.GetValue<long>().Should().BeLessThan(detail["sequence"]!.GetValue<long>());

        // The decider's default view is their own jurisdiction.
        (await Reviewer.Get($"/api/decisions/{escalation["decisionId"]}")).Json["knownSituation"]!["jurisdiction"]!.ToString().Should().Be("420000");
        // Now, the board shows the escalation and the later report.
        await Settled();
        var now = (await Reviewer.Get("/api/situation?jurisdiction=421300")).Json;
        now["responseLevels"]!.AsArray().Single()!["level"]!.ToString().Should().Be("II");
        now["incidents"]!["total"]!.GetValue<int>().Should().Be(2);
        _ = before;
    }
}
