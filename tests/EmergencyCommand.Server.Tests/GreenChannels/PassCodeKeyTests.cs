using EmergencyCommand.Server.GreenChannels;
using Microsoft.Extensions.Configuration;

namespace EmergencyCommand.Server.Tests.GreenChannels;

/// <summary>The pass code key from configuration: no server, no database.</summary>
public sealed class PassCodeKeyTests
{
    private static IConfiguration Config(string? key = null, string? file = null) => new ConfigurationBuilder().AddInMemoryCollection(
        new Dictionary<string, string?> { [PassCodeKey.Setting] = key, [PassCodeKey.FileSetting] = file }).Build();

    [Fact]
    public void Codes_hash_the_same_under_one_key_and_differently_under_another_and_typing_slips_do_not_count()
    {
        var key = PassCodeKey.From(Config("a pass code key of at least thirty-two bytes, one"), "Production");
        var other = PassCodeKey.From(Config("a pass code key of at least thirty-two bytes, two"), "Production");
        key.Present("k7qx 3m9d tr2w", "x").CodeHash.Should().Be(key.Hash("K7QX-3M9D-TR2W")).And.MatchRegex("^[0-9A-F]{64}$");
        other.Hash("K7QX-3M9D-TR2W").Should().NotBe(key.Hash("K7QX-3M9D-TR2W"), "rotating the key makes every outstanding code unknown");
    }

    [Fact]
    public void A_key_comes_from_a_file_first_is_at_least_32_bytes_and_is_required_outside_development_and_demo()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "a pass code key of at least thirty-two bytes, one\n");
            PassCodeKey.From(Config("ignored, the file wins over the value given here", file), "Production").Hash("X")
                .Should().Be(PassCodeKey.From(Config("a pass code key of at least thirty-two bytes, one"), "Production").Hash("X"));
        }
        finally
        {
            File.Delete(file);
        }
        FluentActions.Invoking(() => PassCodeKey.From(Config("too short"), "Production")).Should().Throw<InvalidOperationException>().WithMessage("*at least 32 bytes*");
        FluentActions.Invoking(() => PassCodeKey.From(Config(), "Production")).Should().Throw<InvalidOperationException>().WithMessage("*GreenChannels:PassCodeKey is not set*");
        PassCodeKey.From(Config(), "Development").Hash("X").Should().HaveLength(64, "Development makes up a key for the process");
    }
}
