using EmergencyCommand.Domain.GreenChannels;
using EmergencyCommand.Domain.Shipments;
using EmergencyCommand.Domain.Supplies;
using NodaTime;

namespace EmergencyCommand.Domain.Tests.GreenChannels;

public sealed class GreenChannelRules
{
    private static readonly Guid ChannelId = Guid.NewGuid();
    private static readonly Guid PassId = Guid.NewGuid();
    private static readonly Instant Now = Instant.FromUtc(2020, 2, 1, 8, 0);
    private const string Code = "K7QX-3M9D-TR2W";

    private static readonly GreenChannelOpened Opened = new(ChannelId, "Guangzhou → Wuhan", "Guangzhou", "Wuhan",
        [new Checkpoint("G4-YUEHU", "Guangdong/Hunan border", 290), new Checkpoint("G4-XIANNING", "Xianning toll gate", 890), new Checkpoint("WH-GATE", "Wuhan gate")],
        Now - Duration.FromDays(1), Now + Duration.FromDays(30), ["Medical supplies"], "000000", Now - Duration.FromDays(1));

    /// <summary>Stands in for the server's keyed hash: the rules only ever compare hashes they are given.</summary>
    private static string Hash(string code) => $"hash:{PassCodes.Normalize(code)}";

    private static readonly PassIssued Issued = new(ChannelId, PassId, null, "粤A12345", "Li Wei", ["Medical supplies"], Now + Duration.FromDays(3), Now, Hash(Code));

    private static readonly PassageRules Rules = new(TopSpeedKmh: 120);

    private static GreenChannel Given(params object[] events) => GreenChannel.Replay(new object[] { Opened }.Concat(events))!;

    private static PresentedPass Presented(string code, string plate = "粤A12345") => new(PassCodes.Normalize(code), Hash(code), plate);

    private static CheckpointChecked Check(GreenChannel channel, string checkpoint, string code, Instant at, string plate = "粤A12345",
        Dictionary<string, Instant>? last = null) => GreenChannelDecisions.Check(channel, checkpoint, Presented(code, plate), last ?? [], Rules, at);

    [Fact]
    public void A_valid_pass_is_admitted_and_the_check_names_it_without_keeping_the_code()
    {
        var check = Check(Given(Issued), "G4-YUEHU", "k7qx 3m9d tr2w", Now, plate: "粤a 12345");
        check.Admitted.Should().BeTrue();
        check.PassId.Should().Be(PassId);
        check.Reason.Should().BeNull();
        check.PresentedCodeEnding.Should().Be("TR2W");
        check.PresentedPlate.Should().Be("粤A12345");
        check.ToString().Should().NotContain("3M9D");
    }

    [Fact]
    public void Issuing_a_pass_records_the_hash_it_is_given_and_no_code()
    {
        var issued = (PassIssued)GreenChannelDecisions.IssuePass(Given(), PassId, Hash(Code), "粤A12345", "Li Wei", ["Medical supplies"], Now + Duration.FromDays(1), Now).Events.Single();
        issued.PassCode.Should().BeNull();
        issued.PassCodeHash.Should().Be(Hash(Code));
        GreenChannelNarrative.Facts.Summarize(issued).Should().NotContain(Code);
    }

    [Fact]
    public void A_plate_other_than_the_passs_is_refused_as_PlateMismatch()
    {
        var check = Check(Given(Issued), "G4-YUEHU", Code, Now, plate: "鄂A99999");
        check.Admitted.Should().BeFalse();
        check.Reason.Should().Be(CheckRefusal.PlateMismatch);
        check.PassId.Should().Be(PassId);
        check.PresentedPlate.Should().Be("鄂A99999");
    }

    [Fact]
    public void A_pass_admitted_at_a_checkpoint_is_refused_there_again_within_ten_minutes_and_admitted_after()
    {
        var last = new Dictionary<string, Instant> { ["G4-YUEHU"] = Now };
        Check(Given(Issued), "G4-YUEHU", Code, Now + Duration.FromMinutes(9), last: last).Reason.Should().Be(CheckRefusal.DuplicateUse);
        Check(Given(Issued), "G4-YUEHU", Code, Now + Duration.FromMinutes(10), last: last).Admitted.Should().BeTrue();
    }

    [Fact]
    public void A_pass_seen_at_two_checkpoints_faster_than_the_road_allows_is_refused_as_DuplicateUse()
    {
        // 600 km apart at 120 km/h: five hours at the least.
        var last = new Dictionary<string, Instant> { ["G4-YUEHU"] = Now };
        var tooSoon = Check(Given(Issued), "G4-XIANNING", Code, Now + Duration.FromHours(4), last: last);
        tooSoon.Admitted.Should().BeFalse();
        tooSoon.Reason.Should().Be(CheckRefusal.DuplicateUse);
        Check(Given(Issued), "G4-XIANNING", Code, Now + Duration.FromHours(5), last: last).Admitted.Should().BeTrue();
        // Without a position for one of the two, only the same-checkpoint rule applies.
        Check(Given(Issued), "WH-GATE", Code, Now + Duration.FromMinutes(1), last: last).Admitted.Should().BeTrue();
        // Going back and forth does not reset the clock of a checkpoint.
        var both = new Dictionary<string, Instant> { ["G4-YUEHU"] = Now, ["WH-GATE"] = Now + Duration.FromMinutes(1) };
        Check(Given(Issued), "G4-YUEHU", Code, Now + Duration.FromMinutes(2), last: both).Reason.Should().Be(CheckRefusal.DuplicateUse);
    }

    [Fact]
    public void A_pass_issued_before_codes_were_hashed_still_checks_by_its_plain_code()
    {
        var legacy = new PassIssued(ChannelId, PassId, Code, "粤A12345", "Li Wei", ["Medical supplies"], Now + Duration.FromDays(3), Now);
        var channel = Given(legacy);
        channel.Pass(PassId)!.LegacyCode.Should().Be(Code);
        Check(channel, "G4-YUEHU", "k7qx-3m9d-tr2w", Now).Admitted.Should().BeTrue();
        Check(channel, "G4-YUEHU", "K7QX-3M9D-TR2X", Now).Reason.Should().Be(CheckRefusal.UnknownPass);
        PassCodes.Mask(Code).Should().Be("••••-••••-TR2W");
    }

    [Theory]
    [InlineData("UnknownCheckpoint")]
    [InlineData("ChannelClosed")]
    [InlineData("ChannelDisrupted")]
    [InlineData("UnknownPass")]
    [InlineData("Revoked")]
    [InlineData("Expired")]
    [InlineData("ChannelNotYetValid")]
    public void Each_refusal_reason_is_recorded(string reason)
    {
        var (channel, checkpoint, code, at) = reason switch
        {
            "UnknownCheckpoint" => (Given(Issued), "NOWHERE", Code, Now),
            "ChannelClosed" => (Given(Issued, new ChannelClosed(ChannelId, "Epidemic over", Now)), "G4-YUEHU", Code, Now),
            "ChannelDisrupted" => (Given(Issued, new ChannelDisrupted(ChannelId, "Snow", Now)), "G4-YUEHU", Code, Now),
            "UnknownPass" => (Given(Issued), "G4-YUEHU", "AAAA-BBBB-CCCC", Now),
            "Revoked" => (Given(Issued, new PassRevoked(ChannelId, PassId, "Driver quarantined", Now)), "G4-YUEHU", Code, Now),
            "ChannelNotYetValid" => (Given(Issued), "G4-YUEHU", Code, Now - Duration.FromDays(2)),
            _ => (Given(Issued), "G4-YUEHU", Code, Now + Duration.FromDays(4)),
        };
        var check = Check(channel, checkpoint, code, at);
        check.Admitted.Should().BeFalse();
        check.Reason.Should().Be(Enum.Parse<CheckRefusal>(reason));
    }

    [Fact]
    public void Disruption_and_restoration_and_closure_follow_the_status()
    {
        GreenChannelDecisions.Restore(Given(), Now).Violation!.Rule.Should().Be("restore-disrupted");
        var disrupted = Given(new ChannelDisrupted(ChannelId, "Landslide", Now));
        GreenChannelDecisions.Disrupt(disrupted, "again", Now).IsAccepted.Should().BeFalse();
        GreenChannelDecisions.Restore(disrupted, Now).Events.Should().Equal(new ChannelRestored(ChannelId, Now));
        var closed = Given(new ChannelClosed(ChannelId, "over", Now));
        GreenChannelDecisions.Close(closed, "again", Now).Violation!.Rule.Should().Be("close-once");
        GreenChannelDecisions.IssuePass(closed, Guid.NewGuid(), Hash(Code), "x", "y", ["Medical supplies"], Now + Duration.FromDays(1), Now).IsAccepted.Should().BeFalse();
    }

    [Fact]
    public void A_pass_carries_only_admitted_cargo_and_never_outlives_its_channel()
    {
        GreenChannelDecisions.IssuePass(Given(), PassId, Hash(Code), "x", "y", ["Pigs"], Now + Duration.FromDays(1), Now).Violation!.Rule.Should().Be("cargo-admitted");
        GreenChannelDecisions.IssuePass(Given(), PassId, Hash(Code), "x", "y", ["Medical supplies"], Now + Duration.FromDays(60), Now).Violation!.Rule.Should().Be("pass-within-channel");
        GreenChannelDecisions.RevokePass(Given(Issued, new PassRevoked(ChannelId, PassId, "r", Now)), PassId, "again", Now).Violation!.Rule.Should().Be("revoke-once");
    }

    [Fact]
    public void Pass_codes_are_twelve_radio_friendly_symbols_and_typing_slips_are_forgiven()
    {
        var code = PassCodes.Format([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 30, 31]);
        code.Should().Be("0123-4567-89YZ");
        PassCodes.Normalize("0i23 4567 89yz").Should().Be("0123-4567-89YZ");
        PassCodes.Normalize("o123-4567-89YZ").Should().Be("0123-4567-89YZ");
        code.Should().NotContainAny("I", "L", "O", "U");
    }

    [Fact]
    public void A_shipment_needs_an_open_channel_a_valid_pass_and_a_reserved_allocation_and_delivery_keeps_the_shortfall()
    {
        var requestId = Guid.NewGuid();
        var allocationId = Guid.NewGuid();
        var depotId = Guid.NewGuid();
        var request = SupplyRequest.Replay([
            new SupplyRequested(requestId, "Jinyintan", "420105", Priority.Critical, [new SupplyLine("N95", 500)], Now, Now),
            new SuppliesAllocated(requestId, allocationId, depotId, [new SupplyLine("N95", 500)], "r", [], false, Now),
        ])!;
        var shipmentId = Guid.NewGuid();

        ShipmentDecisions.Dispatch(Given(Issued, new ChannelDisrupted(ChannelId, "Snow", Now)), request, allocationId, PassId, shipmentId, Now)
            .Violation!.Rule.Should().Be("channel-open");
        ShipmentDecisions.Dispatch(Given(Issued, new PassRevoked(ChannelId, PassId, "r", Now)), request, allocationId, PassId, shipmentId, Now)
            .Violation!.Rule.Should().Be("pass-valid");
        var early = ShipmentDecisions.Dispatch(Given(Issued), request, allocationId, PassId, shipmentId, Opened.ValidFrom - Duration.FromMinutes(1)).Violation!;
        early.Rule.Should().Be("pass-valid", "a channel not yet in force carries nothing");
        early.Detail.Should().Contain("opens for traffic at 2020-01-31 16:00 +08:00", "the dispatcher reads Beijing time beside it");
        var dispatched = ShipmentDecisions.Dispatch(Given(Issued), request, allocationId, PassId, shipmentId, Now);
        dispatched.Events.Should().HaveCount(2);
        var shipped = SupplyRequest.Evolve(request, dispatched.Events[1])!;
        ShipmentDecisions.Dispatch(Given(Issued), shipped, allocationId, PassId, shipmentId, Now).Violation!.Rule.Should().Be("ship-once");

        var shipment = Shipment.Replay([dispatched.Events[0]])!;
        ShipmentDecisions.Deliver(shipment, [new SupplyLine("N95", 501)], null, Now).Violation!.Rule.Should().Be("deliver-at-most-shipped");
        var delivered = ShipmentDecisions.Deliver(shipment, [new SupplyLine("N95", 480)], "Ward 3", Now);
        delivered.Events[0].Should().BeOfType<ShipmentDelivered>().Which.Shortfall.Should().Equal(new SupplyLine("N95", 20));
        delivered.Events[2].Should().BeOfType<SuppliesDelivered>().Which.Shortfall.Should().Equal(new SupplyLine("N95", 20));
        var received = SupplyRequest.Evolve(shipped, delivered.Events[2])!.Lines.Single();
        (received.Delivered, received.ShortOnDelivery, received.Outstanding).Should().Be((480L, 20L, 20L));
    }
}
