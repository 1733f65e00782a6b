using EmergencyCommand.Domain.ResponseLevels;
using EmergencyCommand.Domain.Shared;
using NodaTime;

namespace EmergencyCommand.Domain.Tests.ResponseLevels;

public sealed class ResponseLevelRules
{
    private static readonly Actor Hubei = new("hubei", [Role.Commander], ["420000"]);
    private static readonly Actor Wuhan = new("wuhan", [Role.Commander], ["420100"]);
    private static readonly Actor Jiangan = new("jiangan", [Role.Commander], ["420102"]);
    private static readonly Instant Jan22 = Instant.FromUtc(2020, 1, 22, 4, 0);
    private static readonly Instant Jan24 = Instant.FromUtc(2020, 1, 24, 2, 0);
    private static readonly Guid DecisionId = Guid.NewGuid();

    private static JurisdictionResponse? Given(params object[] events) => JurisdictionResponse.Replay(events);

    private static readonly ResponseLevelDeclared HubeiAtII =
        new("420000", ResponseLevel.II, "Cases confirmed in Wuhan", [], Jan22, Jan22, "hubei", Guid.NewGuid());

    [Fact]
    public void A_level_is_declared_where_none_is_active()
    {
        var decision = ResponseLevelDecisions.Set(Given(), "420000", ResponseLevel.II, "Cases confirmed", [], null, Hubei, DecisionId, Jan22);
        decision.Events.Should().Equal(new ResponseLevelDeclared("420000", ResponseLevel.II, "Cases confirmed", [], Jan22, Jan22, "hubei", DecisionId,
            JurisdictionLevel.Province));
    }

    [Fact]
    public void Moving_to_a_more_serious_level_escalates_and_to_a_lesser_one_deescalates_skipping_levels_both_ways()
    {
        var escalated = ResponseLevelDecisions.Set(Given(HubeiAtII), "420000", ResponseLevel.I, "Spreading", [], Jan24, Hubei, DecisionId, Jan24)
            .Events.Single().Should().BeOfType<ResponseLevelEscalated>().Subject;
        escalated.From.Should().Be(ResponseLevel.II);
        escalated.To.Should().Be(ResponseLevel.I);

        var atI = Given(HubeiAtII, escalated);
        ResponseLevelDecisions.Set(atI, "420000", ResponseLevel.III, "Contained", [], null, Hubei, DecisionId, Jan24 + Duration.FromDays(30))
            .Events.Single().Should().BeOfType<ResponseLevelDeescalated>().Which.To.Should().Be(ResponseLevel.III);
    }

    [Fact]
    public void Re_declaring_the_active_level_is_a_conflict()
    {
        ResponseLevelDecisions.Set(Given(HubeiAtII), "420000", ResponseLevel.II, "again", [], null, Hubei, DecisionId, Jan24)
            .Violation!.Rule.Should().Be("level-changes");
    }

    [Fact]
    public void Terminating_needs_an_active_level()
    {
        ResponseLevelDecisions.Terminate(Given(), "420000", "over", null, Hubei, DecisionId, Jan24).Violation!.Rule.Should().Be("terminate-active");
        ResponseLevelDecisions.Terminate(Given(HubeiAtII), "420000", "over", null, Hubei, DecisionId, Jan24).Events.Single()
            .Should().Be(new ResponseLevelTerminated("420000", ResponseLevel.II, "over", Jan24, Jan24, "hubei", DecisionId, JurisdictionLevel.Province));
    }

    [Theory]
    [InlineData("hubei", ResponseLevel.I, true)]
    [InlineData("hubei", ResponseLevel.II, true)]
    [InlineData("wuhan", ResponseLevel.II, false)]
    [InlineData("wuhan", ResponseLevel.III, true)]
    [InlineData("jiangan", ResponseLevel.III, false)]
    [InlineData("jiangan", ResponseLevel.IV, true)]
    public void Levels_I_and_II_need_a_province_and_III_a_city(string who, ResponseLevel level, bool allowed)
    {
        var actor = who switch { "hubei" => Hubei, "wuhan" => Wuhan, _ => Jiangan };
        var decision = ResponseLevelDecisions.Set(Given(), "420102", level, "r", [], null, actor, DecisionId, Jan24);
        decision.IsAccepted.Should().Be(allowed);
        if (!allowed) decision.Violation!.Kind.Should().Be(ViolationKind.Authority);
    }

    [Fact]
    public void A_city_commander_cannot_move_a_level_the_province_set_above_their_authority()
    {
        var wuhanAtI = new ResponseLevelDeclared("420100", ResponseLevel.I, "r", [], Jan24, Jan24, "hubei", Guid.NewGuid());
        ResponseLevelDecisions.Set(Given(wuhanAtI), "420100", ResponseLevel.III, "r", [], null, Wuhan, DecisionId, Jan24)
            .Violation!.Kind.Should().Be(ViolationKind.Authority);
        ResponseLevelDecisions.Terminate(Given(wuhanAtI), "420100", "r", null, Wuhan, DecisionId, Jan24)
            .Violation!.Kind.Should().Be(ViolationKind.Authority);
    }

    [Fact]
    public void A_change_cannot_take_effect_before_the_previous_one()
    {
        var refusal = ResponseLevelDecisions.Set(Given(HubeiAtII), "420000", ResponseLevel.I, "r", [], Jan22 - Duration.FromHours(1), Hubei, DecisionId, Jan24)
            .Violation!;
        refusal.Rule.Should().Be("effective-in-order");
        // Both times as the commander typed and saw them on the jurisdiction page: Beijing time (Jan22 is 04:00 UTC).
        refusal.Detail.Should().Contain("at 2020-01-22 11:00 +08:00").And.Contain("took effect (2020-01-22 12:00 +08:00)");
    }

    [Fact]
    public void The_history_keeps_when_each_level_took_effect_and_the_level_in_force_follows_effective_time()
    {
        var announcedOn23rd = Instant.FromUtc(2020, 1, 23, 12, 0);
        var toI = new ResponseLevelEscalated("420000", ResponseLevel.II, ResponseLevel.I, "r", [], Jan24, announcedOn23rd, "hubei", Guid.NewGuid());
        var state = Given(HubeiAtII, toI)!;

        state.History.Select(p => (p.Level, p.From, p.To)).Should().Equal(
            (ResponseLevel.II, Jan22, Jan24),
            (ResponseLevel.I, Jan24, (Instant?)null));
        state.InForce(announcedOn23rd + Duration.FromHours(1))!.Level.Should().Be(ResponseLevel.II, "announced, not yet in effect");
        state.InForce(Jan24)!.Level.Should().Be(ResponseLevel.I);
        state.InForce(Jan22 - Duration.FromHours(1)).Should().BeNull();

        var ended = Given(HubeiAtII, toI, new ResponseLevelTerminated("420000", ResponseLevel.I, "over", Jan24 + Duration.FromDays(60), Jan24, "hubei", Guid.NewGuid()))!;
        ended.InForce(Jan24 + Duration.FromDays(61)).Should().BeNull();
        ended.Decided.Should().BeNull();
    }

    private static readonly Actor National = new("national", [Role.Commander], ["000000"]);

    /// <summary>Jiang'an district at level IV from far ahead, scheduled by the Wuhan city commander.</summary>
    private static readonly ResponseLevelDeclared ScheduledByWuhan =
        new("420102", ResponseLevel.IV, "Precaution", [], Jan24 + Duration.FromDays(20), Jan24, "wuhan", Guid.NewGuid(), JurisdictionLevel.City);

    [Fact]
    public void A_commander_above_the_one_who_scheduled_a_change_supersedes_it_and_the_level_before_it_stays()
    {
        var given = Given(ScheduledByWuhan);

        var decision = ResponseLevelDecisions.Supersede(given, "420102", "Not needed", Hubei, DecisionId, Jan24 + Duration.FromDays(1));

        decision.Events.Should().Equal(new ScheduledChangeSuperseded("420102", ScheduledByWuhan.DecisionId, "wuhan", ScheduledByWuhan.EffectiveAt,
            "Not needed", Jan24 + Duration.FromDays(1), "hubei", DecisionId));
        var after = JurisdictionResponse.Evolve(given, decision.Events[0])!;
        after.History.Should().BeEmpty();
        after.Decided.Should().BeNull();
    }

    [Fact]
    public void A_commander_at_the_same_level_or_below_may_not_supersede_and_only_a_change_still_to_come_can_be()
    {
        ResponseLevelDecisions.Supersede(Given(ScheduledByWuhan), "420102", "mine", Wuhan, DecisionId, Jan24)
            .Violation!.Rule.Should().Be("supersede-authority");
        ResponseLevelDecisions.Supersede(Given(ScheduledByWuhan), "420102", "no", Jiangan, DecisionId, Jan24)
            .Violation!.Rule.Should().Be("supersede-authority");
        ResponseLevelDecisions.Supersede(Given(ScheduledByWuhan), "420102", "too late", National, DecisionId, ScheduledByWuhan.EffectiveAt)
            .Violation!.Rule.Should().Be("supersede-scheduled");
    }

    [Fact]
    public void An_earlier_change_by_a_commander_above_supersedes_the_scheduled_one_first_and_the_scheduler_is_still_refused()
    {
        var now = Jan24 + Duration.FromDays(1);

        ResponseLevelDecisions.Set(Given(ScheduledByWuhan), "420102", ResponseLevel.III, "now", [], null, Wuhan, DecisionId, now)
            .Violation!.Rule.Should().Be("effective-in-order");
        var decision = ResponseLevelDecisions.Set(Given(ScheduledByWuhan), "420102", ResponseLevel.III, "Cluster in Jiang'an", [], null, National, DecisionId, now);

        decision.Events.Should().HaveCount(2);
        decision.Events[0].Should().BeOfType<ScheduledChangeSuperseded>().Which.SupersededDecisionId.Should().Be(ScheduledByWuhan.DecisionId);
        decision.Events[1].Should().BeOfType<ResponseLevelDeclared>().Which.DecidedAtLevel.Should().Be(JurisdictionLevel.Nation);
        var after = JurisdictionResponse.Replay([ScheduledByWuhan, .. decision.Events])!;
        after.InForce(now)!.Level.Should().Be(ResponseLevel.III);
        after.History.Should().ContainSingle();
    }

    [Fact]
    public void A_change_recorded_before_the_deciders_level_was_kept_is_superseded_from_above_the_jurisdictions_own_level()
    {
        var legacy = ScheduledByWuhan with { DecidedAtLevel = null };
        ResponseLevelDecisions.Supersede(Given(legacy), "420102", "above the district", Wuhan, DecisionId, Jan24).Violation.Should().BeNull();
        ResponseLevelDecisions.Supersede(Given(legacy), "420102", "the district itself", Jiangan, DecisionId, Jan24)
            .Violation!.Rule.Should().Be("supersede-authority");
    }

    [Fact]
    public void An_earlier_change_from_above_supersedes_every_change_scheduled_after_it_the_latest_first()
    {
        // Given Wuhan's commander has scheduled level IV for Jiang'an in 20 days, then level III in 30.
        var thenIII = new ResponseLevelEscalated("420102", ResponseLevel.IV, ResponseLevel.III, "Worse", [], Jan24 + Duration.FromDays(30), Jan24,
            "wuhan", Guid.NewGuid(), JurisdictionLevel.City);
        var given = Given(ScheduledByWuhan, thenIII);
        given!.NextChangeAfter(Jan24).Should().Be(ScheduledByWuhan.EffectiveAt, "the nearer of the two takes effect first");

        // When the province declares level II now, then both are superseded, the later first, and level II is in force alone.
        var now = Jan24 + Duration.FromDays(1);
        var decision = ResponseLevelDecisions.Set(given, "420102", ResponseLevel.II, "Spreading fast", [], null, Hubei, DecisionId, now);
        decision.Violation.Should().BeNull();
        decision.Events.OfType<ScheduledChangeSuperseded>().Select(e => e.SupersededDecisionId).Should().Equal(thenIII.DecisionId, ScheduledByWuhan.DecisionId);
        decision.Events[^1].Should().BeOfType<ResponseLevelDeclared>().Which.Level.Should().Be(ResponseLevel.II);
        var after = JurisdictionResponse.Replay([ScheduledByWuhan, thenIII, .. decision.Events])!;
        after.History.Should().ContainSingle().Which.Level.Should().Be(ResponseLevel.II);
        after.NextChangeAfter(now).Should().BeNull();

        // A change between the two supersedes only the later one; the nearer stays and still takes effect before it.
        var between = ResponseLevelDecisions.Set(given, "420102", ResponseLevel.II, "From day 25", [], Jan24 + Duration.FromDays(25), Hubei, DecisionId, now);
        between.Events.OfType<ScheduledChangeSuperseded>().Select(e => e.SupersededDecisionId).Should().Equal(thenIII.DecisionId);
        between.Events[^1].Should().BeOfType<ResponseLevelEscalated>().Which.From.Should().Be(ResponseLevel.IV);
    }
}
