using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Model;
using Microsoft.Extensions.DependencyInjection;

namespace EmergencyCommand.Server.Tests.Conventions;

/// <summary>
/// Runs alone, after the parallel tests: generating code sets a process-wide flag (<c>DynamicCodeBuilder.WithinCodegenCommand</c>)
/// under which a Wolverine host starting at the same moment would start in its light "metadata only" mode.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CodegenCollection
{
    public const string Name = "Code generation";
}

/// <summary>
/// Outside Development the server runs only the Wolverine code committed in src/EmergencyCommand.Server/Internal/Generated
/// (TypeLoadMode.Static), and stale files fail quietly there: a new endpoint class answers 404 (the generated endpoint
/// registry does not list it), a changed endpoint runs its old code. This generates the code afresh, exactly as
/// <c>codegen write</c> does (the same host, the same writer), into a temporary folder, and compares.
/// </summary>
[Collection(CodegenCollection.Name)]
public sealed class GeneratedCodeTests : IDisposable
{
    private const string Stale =
        "src/EmergencyCommand.Server/Internal/Generated is stale, and outside Development the server runs only that code: " +
        "run ops/codegen and commit what it changes";

    private readonly string _temp = Directory.CreateTempSubdirectory("ec-codegen-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task The_committed_generated_code_is_what_the_code_generates_now()
    {
        var committed = Path.Combine(ServerProject, "Internal", "Generated");
        var fresh = Path.Combine(_temp, "Generated");
        await Generate(fresh);
        Directory.GetFiles(fresh, "*.cs", SearchOption.AllDirectories).Should().HaveCountGreaterThan(50, "every endpoint and handler has its file");
        // One line per file, every file named (a list assertion would name only the first).
        string.Join(Environment.NewLine, Differences(committed, fresh)).Should().BeEmpty(Stale);
    }

    [Fact]
    public void The_comparison_sees_a_missing_an_extra_and_a_changed_file()
    {
        var committed = Directory.CreateDirectory(Path.Combine(_temp, "committed", "WolverineHandlers")).FullName;
        var fresh = Directory.CreateDirectory(Path.Combine(_temp, "fresh", "WolverineHandlers")).FullName;
        File.WriteAllText(Path.Combine(committed, "Same.cs"), "a\r\nb\n");
        File.WriteAllText(Path.Combine(fresh, "Same.cs"), "a\nb\n");
        File.WriteAllText(Path.Combine(committed, "Changed.cs"), "a\nb\nc\n");
        File.WriteAllText(Path.Combine(fresh, "Changed.cs"), "a\nB\nc\n");
        File.WriteAllText(Path.Combine(committed, "Removed.cs"), "");
        File.WriteAllText(Path.Combine(fresh, "Added.cs"), "");

        Differences(Path.GetDirectoryName(committed)!, Path.GetDirectoryName(fresh)!).Should().Equal(
            "not committed: WolverineHandlers/Added.cs",
            "no longer generated: WolverineHandlers/Removed.cs",
            "differs from line 2: WolverineHandlers/Changed.cs");
    }

    /// <summary>What <c>dotnet EmergencyCommand.Server.dll codegen write</c> does, written into <paramref name="into"/>.</summary>
    private static async Task Generate(string into)
    {
        // As under `codegen write`: endpoints and handlers are discovered afresh, nothing pre-built is required.
        DynamicCodeBuilder.WithinCodegenCommand = true;
        try
        {
            // Built, never started: no database is reached.
            await using var app = ServerSetup.Build([
                "--environment", "Demo", "--contentRoot", ServerProject, "--applicationName", "EmergencyCommand.Server",
                "--ConnectionStrings:Marten", "Host=127.0.0.1;Port=1;Database=codegen_connects_to_nothing",
            ]);
            var collections = app.Services.GetServices<ICodeFileCollection>().ToArray();
            foreach (var rules in collections.Select(c => c.Rules).Distinct()) rules.GeneratedCodeOutputPath = into;
            new DynamicCodeBuilder(app.Services, collections) { ServiceVariableSource = app.Services.GetService<IServiceVariableSource>() }
                .WriteGeneratedCode(_ => { });
        }
        finally
        {
            DynamicCodeBuilder.WithinCodegenCommand = false;
        }
    }

    private static List<string> Differences(string committed, string fresh)
    {
        static Dictionary<string, string[]> Files(string root) => Directory.Exists(root)
            ? Directory.GetFiles(root, "*", SearchOption.AllDirectories).ToDictionary(
                f => Path.GetRelativePath(root, f).Replace('\\', '/'), f => File.ReadAllText(f).ReplaceLineEndings("\n").Split('\n'))
            : [];
        var was = Files(committed);
        var now = Files(fresh);
        int FirstDifference(string[] a, string[] b) => Enumerable.Range(0, Math.Max(a.Length, b.Length))
            .First(i => i >= a.Length || i >= b.Length || a[i] != b[i]) + 1;
        return
        [
            ..now.Keys.Except(was.Keys).Order().Select(f => $"not committed: {f}"),
            ..was.Keys.Except(now.Keys).Order().Select(f => $"no longer generated: {f}"),
            ..now.Keys.Intersect(was.Keys).Where(f => !now[f].SequenceEqual(was[f])).Order()
                .Select(f => $"differs from line {FirstDifference(was[f], now[f])}: {f}"),
        ];
    }

    private static string ServerProject
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EmergencyCommand.sln"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("The tests run inside a clone of the repository."),
                "src", "EmergencyCommand.Server");
        }
    }
}
