using System.Text.RegularExpressions;
using EmergencyCommand.Server.Ui;

namespace EmergencyCommand.Server.Tests.ConsolePages;

/// <summary>Every word the console shows exists in Chinese and in English.</summary>
public sealed partial class TextsTests
{
    private static readonly string Source = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/EmergencyCommand.Server"));

    [GeneratedRegex(@"L(?:\[""|\.Format\("")([A-Za-z.]+)""")]
    private static partial Regex KeyUse();

    [Fact]
    public void Every_key_a_page_uses_is_in_the_dictionary()
    {
        var files = Directory.EnumerateFiles(Source, "*.razor", SearchOption.AllDirectories).ToList();
        files.Should().HaveCountGreaterThan(20);
        var missing = files.SelectMany(f => KeyUse().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: m.Groups[1].Value)))
            .Where(u => !Texts.Knows(u.Key)).Select(u => $"{u.File}: {u.Key}").Distinct().ToList();
        missing.Should().BeEmpty();
    }

    [Theory]
    [InlineData(typeof(Domain.Incidents.IncidentStatus))]
    [InlineData(typeof(Domain.Incidents.IncidentCategory))]
    [InlineData(typeof(Domain.Incidents.ReportSource))]
    [InlineData(typeof(Domain.Incidents.ResponseTaskStatus))]
    [InlineData(typeof(Domain.Incidents.Severity))]
    [InlineData(typeof(Domain.ResponseLevels.ResponseLevel))]
    [InlineData(typeof(Domain.Shared.Role))]
    [InlineData(typeof(Domain.Shared.JurisdictionLevel))]
    [InlineData(typeof(Domain.GreenChannels.ChannelStatus))]
    [InlineData(typeof(Domain.GreenChannels.PassStatus))]
    [InlineData(typeof(Domain.GreenChannels.CheckRefusal))]
    [InlineData(typeof(Domain.Supplies.Priority))]
    [InlineData(typeof(Domain.Supplies.RequestStatus))]
    [InlineData(typeof(Domain.Supplies.AllocationStatus))]
    [InlineData(typeof(Domain.Shipments.ShipmentStatus))]
    [InlineData(typeof(Server.Inbox.EscalationKind))]
    [InlineData(typeof(Server.Incidents.Pages.MyReports.LoopStage))]
    public void Every_value_shown_by_name_has_its_words(Type values)
    {
        Enum.GetNames(values).Where(v => !Texts.Knows($"{values.Name}.{v}")).Should().BeEmpty();
    }

    [Fact]
    public void A_language_switch_changes_every_word_and_tells_the_pages()
    {
        var texts = new Texts();
        var told = 0;
        texts.Changed += () => told++;
        texts["signIn"].Should().Be("登录");
        texts.Use("en");
        texts["signIn"].Should().Be("Sign in");
        texts.Use("fr");
        texts.Language.Should().Be("en");
        told.Should().Be(1);
    }
}
