using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Proviso.Data;
using Proviso.Gateway;
using Proviso.Hosting;
using Proviso.Privacy.Operators;
using Proviso.Tests.Infrastructure;

namespace Proviso.Tests.Gateway;

public class VaultTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory, MemberData(nameof(Providers))]
    public void DatabaseVault_SharesPseudonymsAcrossInstances_EncryptsOriginals_AndExpires(DatabaseProvider provider)
    {
        var factory = ProvisoFactory.For(provider);
        var options = factory.Services.GetRequiredService<ProvisoDbOptions>();
        var clock = new Data.ManualClock(DateTimeOffset.UtcNow);
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var first = new DbPseudonymVault(options, key, TimeSpan.FromMinutes(5), clock);
        var second = new DbPseudonymVault(options, key, TimeSpan.FromMinutes(5), clock);
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
}
