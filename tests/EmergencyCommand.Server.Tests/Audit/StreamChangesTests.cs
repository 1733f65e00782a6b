using System.Net;
using EmergencyCommand.Server.Identity;
using EmergencyCommand.Server.ResponseLevels;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Audit;

/// <summary>What a page shows when what it displays changed under the reader: only to whoever may read the thing itself.</summary>
public sealed class StreamChangesTests(AppFixture fixture) : ServerTest(fixture)
{
    [Fact]
    public async Task A_streams_changes_are_shown_to_whoever_may_read_the_thing_itself_and_to_no_one_else()
    {
        // Given an incident of the province, the national commander's account, a national green channel and Hubei's level.
        var provincial = await Reported("420000");
        var account = UserAccountProjection.StreamId("national");
        var channel = (await Logistics.Post("/api/green-channels", new
        {
            name = "Guangzhou → Wuhan corridor", origin = "Guangzhou", destination = "Wuhan", jurisdiction = "000000",
            checkpoints = new object[] { new { code = "YUEHU", name = "Guangdong/Hunan border" } },
            validFrom = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ"), validUntil = InOneDay, cargo = new[] { "Medical supplies" },
        })).ShouldBe(HttpStatusCode.Created).Id;
        (await Hubei.Post("/api/jurisdictions/420000/response-level", new { level = "II", rationale = "Cases in three cities" })).ShouldBe(HttpStatusCode.OK);

        // Then Wuhan's commander and a Wuhan reporter, who may read neither the incident nor the account, see neither's changes,
        (await Wuhan.Get($"/api/incidents/{provincial}")).ShouldBe(HttpStatusCode.NotFound);
        (await Wuhan.Get($"/api/streams/{provincial}/changes?after=0")).ShouldBe(HttpStatusCode.NotFound);
        (await Reporter.Get($"/api/streams/{account}/changes?after=0")).ShouldBe(HttpStatusCode.NotFound);
        // nor does a Wuhan commander see the account of a Wuhan responder (its roles, its lock-outs): only the user and
        // the directory's administrators do.
        var responder = UserAccountProjection.StreamId("responder");
        (await Wuhan.Get($"/api/streams/{responder}/changes?after=0")).ShouldBe(HttpStatusCode.NotFound);
        (await Reporter.Get($"/api/streams/{responder}/changes?after=0")).ShouldBe(HttpStatusCode.NotFound);
        (await Responder.Get($"/api/streams/{responder}/changes?after=0")).ShouldBe(HttpStatusCode.OK);
        (await As("admin").Get($"/api/streams/{responder}/changes?after=0")).ShouldBe(HttpStatusCode.OK);

        // while the province sees its incident's, and Wuhan the changes of the channel that crosses it and of the level in force over it.
        (await Hubei.Get($"/api/streams/{provincial}/changes?after=0")).ShouldBe(HttpStatusCode.OK);
        (await Wuhan.Get($"/api/streams/{channel}/changes?after=0")).ShouldBe(HttpStatusCode.OK).Json.AsArray().Should().NotBeEmpty();
        (await Wuhan.Get($"/api/streams/{JurisdictionResponseProjection.StreamId("420000")}/changes?after=0")).ShouldBe(HttpStatusCode.OK)
            .Json.AsArray().Should().NotBeEmpty();
    }
}
