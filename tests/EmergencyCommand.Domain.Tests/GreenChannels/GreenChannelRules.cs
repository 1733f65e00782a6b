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
        [new Checkpoint("G4-YUEHU", "Guangdong/Hunan border"), new Checkpoint("G4-XIANNING", "Xianning toll gate")],
        Now - Duration.FromDays(1), Now + Duration.FromDays(30), ["Medical supplies"], "000000", Now - Duration.FromDays(1));

    private static readonly PassIssued Issued = new(ChannelId, PassId, Code, "粤A12345", "Li Wei", ["Medical supplies"], Now + Duration.FromDays(3), Now);

    private static GreenChannel Given(params object[] events) => GreenChannel.Replay(new object[] { Opened }.Concat(events))!;

    [Fact]
    public void A_valid_pass_is_admitted_and_the_check_names_it()
    {
        var check = GreenChannelDecisions.Check(Given(Issued), "G4-YUEHU", "k7qx 3m9d tr2w", Now);
        check.Admitted.Should().BeTrue();
        check.PassId.Should().Be(PassId);
        check.Reason.Should().BeNull();
    }

    [Theory]
    [InlineData("UnknownCheckpoint")]
    [InlineData("ChannelClosed")]
    [InlineData("ChannelDisrupted")]
    [InlineData("UnknownPass")]
    [InlineData("Revoked")]
    [InlineData("Expired")]
    public void Each_refusal_reason_is_recorded(string reason)
    {
        var (channel, checkpoint, code, at) = reason switch
        {
            "UnknownCheckpoint" => (Given(Issued), "NOWHERE", Code, Now),
            "ChannelClosed" => (Given(Issued, new ChannelClosed(ChannelId, "Epidemic over", Now)), "G4-YUEHU", Code, Now),
            "ChannelDisrupted" => (Given(Issued, new ChannelDisrupted(ChannelId, "Snow", Now)), "G4-YUEHU", Code, Now),
            "UnknownPass" => (Given(Issued), "G4-YUEHU", "AAAA-BBBB-CCCC", Now),
            "Revoked" => (Given(Issued, new PassRevoked(ChannelId, PassId, "Driver quarantined", Now)), "G4-YUEHU", Code, Now),
            _ => (Given(Issued), "G4-YUEHU", Code, Now + Duration.FromDays(4)),
        };
        var check = GreenChannelDecisions.Check(channel, checkpoint, code, at);
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
        GreenChannelDecisions.IssuePass(closed, Guid.NewGuid(), Code, "x", "y", ["Medical supplies"], Now + Duration.FromDays(1), Now).IsAccepted.Should().BeFalse();
    }

    [Fact]
    public void A_pass_carries_only_admitted_cargo_and_never_outlives_its_channel()
    {
        GreenChannelDecisions.IssuePass(Given(), PassId, Code, "x", "y", ["Pigs"], Now + Duration.FromDays(1), Now).Violation!.Rule.Should().Be("cargo-admitted");
        GreenChannelDecisions.IssuePass(Given(), PassId, Code, "x", "y", ["Medical supplies"], Now + Duration.FromDays(60), Now).Violation!.Rule.Should().Be("pass-within-channel");
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
        var dispatched = ShipmentDecisions.Dispatch(Given(Issued), request, allocationId, PassId, shipmentId, Now);
        dispatched.Events.Should().HaveCount(2);
        var shipped = SupplyRequest.Evolve(request, dispatched.Events[1])!;
        ShipmentDecisions.Dispatch(Given(Issued), shipped, allocationId, PassId, shipmentId, Now).Violation!.Rule.Should().Be("ship-once");

        var shipment = Shipment.Replay([dispatched.Events[0]])!;
        ShipmentDecisions.Deliver(shipment, [new SupplyLine("N95", 501)], null, Now).Violation!.Rule.Should().Be("deliver-at-most-shipped");
        var delivered = ShipmentDecisions.Deliver(shipment, [new SupplyLine("N95", 480)], "Ward 3", Now);
        delivered.Events[0].Should().BeOfType<ShipmentDelivered>().Which.Shortfall.Should().Equal(new SupplyLine("N95", 20));
        SupplyRequest.Evolve(shipped, delivered.Events[2])!.Lines.Single().Delivered.Should().Be(480);
    }
}
