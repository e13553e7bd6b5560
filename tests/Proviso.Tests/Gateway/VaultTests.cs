using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Proviso.Data;
using Proviso.Gateway;
using Proviso.Hosting;
using Proviso.Privacy;
using Proviso.Privacy.Operators;
using Proviso.Tests.Infrastructure;

namespace Proviso.Tests.Gateway;

public class VaultTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    /// <summary>Two hosts' vaults over one database and one key, on a clock the test moves.</summary>
    private static (ProvisoFactory Factory, Data.ManualClock Clock, DbPseudonymVault First, DbPseudonymVault Second) TwoInstances(DatabaseProvider provider)
    {
        var factory = ProvisoFactory.For(provider);
        var options = factory.Services.GetRequiredService<ProvisoDbOptions>();
        var clock = new Data.ManualClock(DateTimeOffset.UtcNow);
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        return (factory, clock, new DbPseudonymVault(options, key, TimeSpan.FromMinutes(5), clock), new DbPseudonymVault(options, key, TimeSpan.FromMinutes(5), clock));
    }

    [Theory, MemberData(nameof(Providers))]
    public void DatabaseVault_SharesPseudonymsAcrossInstances_EncryptsOriginals_AndExpires(DatabaseProvider provider)
    {
        var (factory, clock, first, second) = TwoInstances(provider);
        var scope = "conversation-" + Guid.NewGuid();

        var a = new Anonymizer(AnonymizerKeys.Random(), first);
        var b = new Anonymizer(AnonymizerKeys.Random(), second);
        var token = first.GetOrAdd(scope, "PERSON", "Margaret Thompson", n => $"<PERSON_{n}>");
        Assert.Equal(token, second.GetOrAdd(scope, "PERSON", "Margaret Thompson", n => $"<PERSON_{n}>"));
        Assert.Equal("<PERSON_2>", second.GetOrAdd(scope, "PERSON", "Daniel Moore", n => $"<PERSON_{n}>"));
        Assert.Equal("Hello Margaret Thompson and Daniel Moore", b.Deanonymize("Hello <PERSON_1> and <PERSON_2>", scope));

        using (var scopeServices = factory.Services.CreateScope())
        {
            var db = scopeServices.ServiceProvider.GetRequiredService<ProvisoDbContext>();
            var stored = db.VaultEntries.Where(e => e.Scope == scope).ToList();
            Assert.Equal(2, stored.Count);
            Assert.All(stored, e => Assert.DoesNotContain("Margaret", System.Text.Encoding.UTF8.GetString(e.Sealed)));
        }

        clock.Now += TimeSpan.FromMinutes(6);
        Assert.False(first.TryResolve(scope, token, out _));
        Assert.Equal("Hello <PERSON_1>", a.Deanonymize("Hello <PERSON_1>", scope));
        Assert.True(first.Sweep() >= 2);
    }

    [Theory, MemberData(nameof(Providers))]
    public void Batch_ReadsOnceWritesOnce_SharesWithOtherInstancesAfterSave_AndRefusesConflicts(DatabaseProvider provider)
    {
        var (_, clock, first, second) = TwoInstances(provider);
        var scope = "conversation-" + Guid.NewGuid();
        static string Token(int n) => $"<PERSON_{n}>";

        var batch = new PseudonymBatch(first, scope);
        var a = new Anonymizer(AnonymizerKeys.Random()).With(batch);
        var masked = a.Anonymize("Margaret Thompson met Daniel Moore", [new Finding("PERSON", 0, 17, 1, "t"), new Finding("PERSON", 22, 34, 1, "t")],
            new OperatorConfig { Kind = OperatorKind.Token }, scope: scope).Text;
        Assert.Equal("<PERSON_1> met <PERSON_2>", masked);
        Assert.Equal(2, batch.Pending);
        // Restored from memory before anything is stored; another instance sees nothing yet.
        Assert.Equal("Margaret Thompson met Daniel Moore", a.Deanonymize(masked, scope));
        Assert.False(second.TryResolve(scope, "<PERSON_1>", out _));

        batch.Save();
        Assert.Equal(0, batch.Pending);
        Assert.True(second.TryResolve(scope, "<PERSON_2>", out var daniel));
        Assert.Equal("Daniel Moore", daniel);
        Assert.Equal("<PERSON_1>", second.GetOrAdd(scope, "PERSON", "Margaret Thompson", Token));

        // The next call of the conversation loads what is there and continues the numbering.
        var next = new PseudonymBatch(second, scope);
        var racing = new PseudonymBatch(first, scope);
        Assert.Equal("<PERSON_1>", next.GetOrAdd(scope, "PERSON", "Margaret Thompson", Token));
        Assert.Equal("<PERSON_3>", next.GetOrAdd(scope, "PERSON", "Wei O'Brien", Token));
        Assert.Equal("<PERSON_3>", racing.GetOrAdd(scope, "PERSON", "Arne Berg", Token));
        next.Save();
        // Two calls of one conversation gave <PERSON_3> to different people at once: the second cannot store it and
        // stores nothing (the gateway answers 503 and forwards nothing).
        Assert.Throws<PseudonymConflictException>(racing.Save);
        Assert.True(first.TryResolve(scope, "<PERSON_3>", out var wei));
        Assert.Equal("Wei O'Brien", wei);
        Assert.Equal(3, first.Load(scope).Count);

        // Expired mappings do not block new ones with the same numbers.
        clock.Now += TimeSpan.FromMinutes(6);
        var later = new PseudonymBatch(first, scope);
        Assert.Equal("<PERSON_1>", later.GetOrAdd(scope, "PERSON", "Sumaya Okafor", Token));
        later.Save();
        Assert.Equal([new PseudonymMapping("PERSON", "Sumaya Okafor", "<PERSON_1>")], first.Load(scope));
    }

    [Theory, MemberData(nameof(Providers))]
    public void Sweeper_DeletesExpiredConversations_AndSurvivesAVaultFailure(DatabaseProvider provider)
    {
        var factory = ProvisoFactory.For(provider);
        var clock = new Data.ManualClock(DateTimeOffset.UtcNow);
        var vault = new DbPseudonymVault(factory.Services.GetRequiredService<ProvisoDbOptions>(), System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), TimeSpan.FromMinutes(30), clock);
        var scope = "conv:" + Guid.NewGuid().ToString("N");
        var batch = new PseudonymBatch(vault, scope);
        batch.GetOrAdd(scope, "PERSON", "Sumaya Okafor", n => $"<PERSON_{n}>");
        batch.Save();
        var sweeper = new VaultSweepService(vault, clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<VaultSweepService>.Instance);

        Assert.Equal(0, sweeper.SweepOnce());
        Assert.Single(vault.Load(scope));
        clock.Now += TimeSpan.FromMinutes(31);
        Assert.True(sweeper.SweepOnce() >= 1);
        using (var services = factory.Services.CreateScope())
        {
            Assert.False(services.ServiceProvider.GetRequiredService<ProvisoDbContext>().VaultEntries.Any(e => e.Scope == scope));
        }

        var memory = new InMemoryVault(ttl: TimeSpan.FromMinutes(30), time: clock);
        new PseudonymBatch(memory, scope).Save();
        memory.Store(scope, [new PseudonymMapping("PERSON", "Sumaya Okafor", "<PERSON_1>")]);
        clock.Now += TimeSpan.FromMinutes(31);
        Assert.Equal(1, new VaultSweepService(memory, clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<VaultSweepService>.Instance).SweepOnce());
        Assert.Equal(0, memory.ScopeCount);
    }

    [Fact]
    public void ConversationTags_AreStableUnderOneKey_AndUnguessableWithoutIt()
    {
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var app = Guid.NewGuid();
        var tags = new ConversationTags(key);
        var tag = tags.Tag(app, "jane.doe@example.com");
        Assert.Matches("^[0-9a-f]{16}$", tag);
        Assert.Equal(tag, new ConversationTags((byte[])key.Clone()).Tag(app, "jane.doe@example.com"));
        Assert.NotEqual(tag, tags.Tag(app, "jane.doe@example.org"));
        Assert.NotEqual(tag, tags.Tag(Guid.NewGuid(), "jane.doe@example.com"));
        Assert.NotEqual(tag, new ConversationTags(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).Tag(app, "jane.doe@example.com"));
        var unkeyed = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{app:N}:jane.doe@example.com")))[..16];
        Assert.NotEqual(unkeyed, tag);
    }
}
