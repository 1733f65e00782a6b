using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Security.Claims;
using System.Text;
using EmergencyCommand.Server.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace EmergencyCommand.Server.Tests.Identity;

/// <summary>A server that signs with a new key and still accepts tokens signed with the previous one.</summary>
public sealed class RotatedKeys : AppFixture
{
    public const string Previous = "the previous signing key, still verifying its tokens";
    public const string Current = "the current signing key of at least thirty-two bytes";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Auth:SigningKey"] = Current,
        ["Auth:SigningKeyId"] = "2026-12",
        ["Auth:PreviousSigningKeys:0:Id"] = "2026-11",
        ["Auth:PreviousSigningKeys:0:Key"] = Previous,
    };
}

public sealed class KeyRotationTests(RotatedKeys fixture) : ServerTest<RotatedKeys>(fixture)
{
    private static string Signed(string key, string keyId) => new JwtSecurityTokenHandler().WriteToken(new JwtSecurityToken(
        "EmergencyCommand", "EmergencyCommand",
        [new Claim("name", "hubei"), new Claim("sid", Guid.NewGuid().ToString()), new Claim("signins_ended", "0"),
            new Claim("auth_time", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(), ClaimValueTypes.Integer64)],
        DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(10),
        new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)) { KeyId = keyId }, SecurityAlgorithms.HmacSha256)));

    [Fact]
    public async Task New_tokens_carry_the_current_key_id_and_the_previous_key_still_verifies_its_own()
    {
        var issued = (await Anonymous.Post("/api/auth/token", new { username = "hubei", password = "demo" })).ShouldBe(HttpStatusCode.OK).Json;
        new JwtSecurityTokenHandler().ReadJwtToken(issued["accessToken"]!.ToString()).Header.Kid.Should().Be("2026-12");

        (await Api.WithToken(Fixture, Signed(RotatedKeys.Previous, "2026-11")).Get("/api/incidents")).ShouldBe(HttpStatusCode.OK);
        (await Api.WithToken(Fixture, Signed(RotatedKeys.Current, "2026-12")).Get("/api/incidents")).ShouldBe(HttpStatusCode.OK);
        (await Api.WithToken(Fixture, Signed("demo-only-signing-key-not-for-production-use-0123456789", "demo")).Get("/api/incidents"))
            .ShouldBe(HttpStatusCode.Unauthorized, "the demo key is not among this server's keys");
    }
}
