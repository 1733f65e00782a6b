using EmergencyCommand.Domain.Shared;

namespace EmergencyCommand.Domain.Identity;

public static class UserNarrative
{
    public static readonly Narrative Facts = new Narrative()
        .On<UserRegistered>(e => $"User {e.Username} ({e.DisplayName}) registered as {Roles(e.Roles)} over {string.Join(", ", e.Jurisdictions)}",
            (e, w) => $"登记用户 {e.Username}（{e.DisplayName}），角色：{Roles(e.Roles, w)}，辖区：{Narrative.PlacesZh(e.Jurisdictions)}")
        .On<RolesGranted>(e => $"{e.Username} granted {Roles(e.Roles)}", (e, w) => $"授予 {e.Username} 角色：{Roles(e.Roles, w)}")
        .On<RolesRevoked>(e => $"{e.Username} no longer {Roles(e.Roles)}", (e, w) => $"收回 {e.Username} 的角色：{Roles(e.Roles, w)}")
        .On<JurisdictionsAssigned>(e => $"{e.Username} now acts over {string.Join(", ", e.Jurisdictions)}", (e, _) => $"{e.Username} 的辖区改为：{Narrative.PlacesZh(e.Jurisdictions)}")
        .On<UserDisabled>(e => Narrative.Join($"{e.Username} disabled", e.Reason), (e, _) => Narrative.JoinZh($"停用用户 {e.Username}", e.Reason), e => e.Reason)
        .On<UserEnabled>(e => $"{e.Username} enabled", (e, _) => $"启用用户 {e.Username}")
        .On<PasswordChanged>(e => $"{e.Username}'s password changed", (e, _) => $"{e.Username} 的密码已修改")
        .On<UserLockedOut>(e => $"{e.Username} locked out until {CommandTime.Said(e.Until)} after {e.Failures} wrong passwords",
            (e, _) => $"{e.Username} 连续 {e.Failures} 次密码错误，锁定至 {CommandTime.Said(e.Until)}");

    private static string Roles(IEnumerable<Role> roles) => string.Join(", ", roles.Select(r => Narrative.Words(r)));

    private static string Roles(IEnumerable<Role> roles, IWords words) => string.Join("、", roles.Select(r => words.Of(r)));
}
