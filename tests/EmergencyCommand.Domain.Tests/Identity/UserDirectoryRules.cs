using EmergencyCommand.Domain.Identity;
using EmergencyCommand.Domain.Shared;
using NodaTime;

namespace EmergencyCommand.Domain.Tests.Identity;

public sealed class UserDirectoryRules
{
    private static readonly Actor NationalAdmin = new("admin", [Role.Administrator], ["000000"]);
    private static readonly Actor HubeiAdmin = new("hubei-admin", [Role.Administrator], ["420000"]);
    private static readonly Instant Now = Instant.FromUtc(2020, 1, 23, 2, 0);

    private static UserAccount Given(params object[] events) => UserAccount.Replay(events)!;

    /// <summary>The decision accepted exactly these events, compared by their facts (lists by their items).</summary>
    private static void Then(Decision decision, params object[] expected) =>
        decision.Events.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering().RespectingRuntimeTypes());

    private static readonly UserRegistered WuhanCommander = new("wuhan", "Wuhan commander", [Role.Commander], ["420100"], Now);

    [Fact]
    public void A_name_is_registered_once_and_only_within_the_administrators_jurisdiction()
    {
        Then(UserDecisions.Register(null, "wuhan", "Wuhan commander", [Role.Commander, Role.Commander], ["420100"], HubeiAdmin, Now), WuhanCommander);
        UserDecisions.Register(Given(WuhanCommander), "wuhan", "Again", [Role.Commander], ["420100"], NationalAdmin, Now)
            .Violation!.Rule.Should().Be("username-free");
        var outside = UserDecisions.Register(null, "guangzhou", "Guangzhou commander", [Role.Commander], ["440100"], HubeiAdmin, Now).Violation!;
        (outside.Rule, outside.Kind).Should().Be(("administer-within", ViolationKind.Authority));
    }

    [Fact]
    public void Setting_roles_grants_what_is_new_and_revokes_what_is_gone_and_an_unchanged_set_is_refused()
    {
        Then(UserDecisions.SetRoles(Given(WuhanCommander), [Role.Commander, Role.Reviewer], NationalAdmin, Now), new RolesGranted("wuhan", [Role.Reviewer], Now));
        Then(UserDecisions.SetRoles(Given(WuhanCommander), [Role.Responder], NationalAdmin, Now), new RolesGranted("wuhan", [Role.Responder], Now), new RolesRevoked("wuhan", [Role.Commander], Now));
        UserDecisions.SetRoles(Given(WuhanCommander), [Role.Commander], NationalAdmin, Now).Violation!.Rule.Should().Be("roles-change");

        var admin = Given(new UserRegistered("admin", "Admin", [Role.Administrator], ["000000"], Now));
        UserDecisions.SetRoles(admin, [Role.Reviewer], NationalAdmin, Now).Violation!.Rule.Should().Be("keep-own-administration");
    }

    [Fact]
    public void The_Reviewer_role_reads_the_whole_nation_and_is_handed_out_only_by_an_administrator_covering_it()
    {
        // A provincial administrator could otherwise give anyone, themselves too, every province's incidents and replay.
        var refused = UserDecisions.SetRoles(Given(WuhanCommander), [Role.Commander, Role.Reviewer], HubeiAdmin, Now).Violation!;
        (refused.Rule, refused.Kind).Should().Be(("grant-reviewer", ViolationKind.Authority));
        UserDecisions.Register(null, "auditor", "Hubei auditor", [Role.Reviewer], ["420000"], HubeiAdmin, Now).Violation!.Rule.Should().Be("grant-reviewer");
        var hubeiAdmin = Given(new UserRegistered("hubei-admin", "Hubei admin", [Role.Administrator], ["420000"], Now));
        UserDecisions.SetRoles(hubeiAdmin, [Role.Administrator, Role.Reviewer], HubeiAdmin, Now).Violation!.Rule.Should().Be("grant-reviewer");

        // The other roles are theirs to hand out within the province, and taking Reviewer away gives nobody anything.
        Then(UserDecisions.SetRoles(Given(WuhanCommander), [Role.Commander, Role.Responder], HubeiAdmin, Now), new RolesGranted("wuhan", [Role.Responder], Now));
        Then(UserDecisions.SetRoles(Given(WuhanCommander, new RolesGranted("wuhan", [Role.Reviewer], Now)), [Role.Commander], HubeiAdmin, Now),
            new RolesRevoked("wuhan", [Role.Reviewer], Now));
    }

    [Fact]
    public void Jurisdictions_are_handed_out_only_by_an_administrator_covering_them()
    {
        Then(UserDecisions.AssignJurisdictions(Given(WuhanCommander), ["420100", "420900"], HubeiAdmin, Now), new JurisdictionsAssigned("wuhan", ["420100", "420900"], Now));
        UserDecisions.AssignJurisdictions(Given(WuhanCommander), ["440100"], HubeiAdmin, Now).Violation!.Kind.Should().Be(ViolationKind.Authority);
        UserDecisions.AssignJurisdictions(Given(WuhanCommander), ["420100"], HubeiAdmin, Now).Violation!.Rule.Should().Be("jurisdictions-change");
    }

    [Fact]
    public void Disabling_and_enabling_happen_once_each_and_never_to_oneself()
    {
        var disabled = Given(WuhanCommander, new UserDisabled("wuhan", "Left the post", Now));
        disabled.Disabled.Should().BeTrue();
        UserDecisions.Disable(disabled, "again", NationalAdmin, Now).Violation!.Rule.Should().Be("disable-once");
        Then(UserDecisions.Enable(disabled, Now), new UserEnabled("wuhan", Now));
        UserDecisions.Enable(Given(WuhanCommander), Now).Violation!.Rule.Should().Be("enable-disabled");
        var admin = Given(new UserRegistered("admin", "Admin", [Role.Administrator], ["000000"], Now));
        UserDecisions.Disable(admin, "oops", NationalAdmin, Now).Violation!.Rule.Should().Be("disable-self");
    }

    [Fact]
    public void A_password_change_or_a_disabling_ends_every_sign_in_and_nothing_else_does()
    {
        var later = Now + Duration.FromMinutes(5);
        Given(WuhanCommander).SignInsEnded.Should().Be(0);
        Given(WuhanCommander, new RolesGranted("wuhan", [Role.Reviewer], later), new JurisdictionsAssigned("wuhan", ["420000"], later),
            new UserLockedOut("wuhan", 5, later, later)).SignInsEnded.Should().Be(0, "roles and areas are read afresh on every request");
        Given(WuhanCommander, new PasswordChanged("wuhan", later)).SignInsEnded.Should().Be(1);
        var disabledAndBack = Given(WuhanCommander, new PasswordChanged("wuhan", later), new UserDisabled("wuhan", "Reassigned", later),
            new UserEnabled("wuhan", later));
        disabledAndBack.SignInsEnded.Should().Be(2, "enabling the user again does not bring back the sign-ins the disabling ended");
    }

    [Fact]
    public void A_password_is_changed_by_its_user_or_an_administrator_and_a_lockout_lasts_until_then()
    {
        var wuhan = Given(WuhanCommander);
        Then(UserDecisions.ChangePassword(wuhan, wuhan.AsActor(), Now), new PasswordChanged("wuhan", Now));
        UserDecisions.ChangePassword(wuhan, NationalAdmin, Now).IsAccepted.Should().BeTrue();
        UserDecisions.ChangePassword(wuhan, new Actor("hubei", [Role.Commander], ["420000"]), Now).Violation!.Rule.Should().Be("own-password");

        var until = Now + Duration.FromMinutes(5);
        var locked = Given(WuhanCommander, UserDecisions.LockOut(wuhan, 5, until, Now).Events.Single());
        locked.LockedUntil.Should().Be(until);
        UserDecisions.LockOut(locked, 6, until, Now).Events.Should().BeEmpty("already locked out that long");
    }

    [Theory]
    [InlineData(new[] { "420102" }, "420102")]
    [InlineData(new[] { "420102", "420103" }, "420100")]
    [InlineData(new[] { "420100", "420900" }, "420000")]
    [InlineData(new[] { "420100", "420000" }, "420000")]
    [InlineData(new[] { "420100", "440100" }, "000000")]
    [InlineData(new[] { "000000", "420100" }, "000000")]
    public void A_user_is_administered_from_the_most_local_code_covering_all_their_jurisdictions(string[] codes, string root) =>
        Jurisdictions.CommonRoot(codes).Should().Be(root);
}
