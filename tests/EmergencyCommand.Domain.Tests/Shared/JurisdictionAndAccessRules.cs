using EmergencyCommand.Domain.Shared;

namespace EmergencyCommand.Domain.Tests.Shared;

public sealed class JurisdictionAndAccessRules
{
    [Theory]
    [InlineData("000000", true)]
    [InlineData("420000", true)]
    [InlineData("420100", true)]
    [InlineData("420102", true)]
    [InlineData("810000", true)]
    [InlineData("990000", false)]
    [InlineData("100000", false)]
    [InlineData("42010", false)]
    [InlineData("42O100", false)]
    [InlineData("420002", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Codes_are_checked_by_shape_and_province_prefix(string? code, bool valid) =>
        Jurisdictions.IsValid(code).Should().Be(valid);

    [Theory]
    [InlineData("000000", "420102", true)]
    [InlineData("420000", "420102", true)]
    [InlineData("420100", "420102", true)]
    [InlineData("420100", "420100", true)]
    [InlineData("420100", "420200", false)]
    [InlineData("440000", "420102", false)]
    [InlineData("420102", "420100", false)]
    [InlineData("420102", "420103", false)]
    [InlineData("420000", "000000", false)]
    public void A_code_covers_itself_and_what_lies_below_it(string outer, string inner, bool covers) =>
        Jurisdictions.Covers(outer, inner).Should().Be(covers);

    [Theory]
    [InlineData("000000", "")]
    [InlineData("420000", "000000")]
    [InlineData("420100", "000000 420000")]
    [InlineData("420102", "000000 420000 420100")]
    public void Above_a_code_are_exactly_the_codes_that_cover_it(string code, string above)
    {
        Jurisdictions.Above(code).Should().Equal(above.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Jurisdictions.Above(code).Where(a => a == code || !Jurisdictions.Covers(a, code)).Should().BeEmpty();
    }

    [Theory]
    [InlineData("000000", JurisdictionLevel.Nation)]
    [InlineData("420000", JurisdictionLevel.Province)]
    [InlineData("420100", JurisdictionLevel.City)]
    [InlineData("420102", JurisdictionLevel.County)]
    public void The_level_follows_from_the_code(string code, JurisdictionLevel level) =>
        Jurisdictions.LevelOf(code).Should().Be(level);

    private static readonly Actor WuhanCommander = new("wuhan", [Role.Commander], ["420100"]);

    [Fact]
    public void Access_needs_an_allowed_role_and_a_covering_jurisdiction()
    {
        Access.Refusal(WuhanCommander, [Role.Commander], "420102").Should().BeNull();
        Access.Refusal(WuhanCommander, [Role.Commander], "440103").Should().Contain("does not cover 440103");
        Access.Refusal(WuhanCommander, [Role.Responder], "420102").Should().Contain("Responder");
        Access.Refusal(new Actor("r", [Role.Reviewer], ["000000"]), [Role.Reviewer, Role.Commander], "420102")
            .Should().NotBeNull("reviewers read everything and write nothing");
    }
}
