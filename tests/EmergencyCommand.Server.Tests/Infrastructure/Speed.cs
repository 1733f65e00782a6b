namespace EmergencyCommand.Server.Tests.Infrastructure;

/// <summary>
/// Tests that start server processes, browsers or the bench carry <c>[Trait(Speed.Trait, Speed.Slow)]</c>:
/// <c>ops/test --fast</c> leaves them out, <c>ops/test</c> (and CI) runs everything.
/// </summary>
public static class Speed
{
    public const string Trait = "Speed";
    public const string Slow = "Slow";
}
