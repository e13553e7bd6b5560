using Proviso.Vendors;

namespace Proviso.Tests.Vendors;

public class RiskCalculatorTests
{
    private static AiService Svc(Criticality c, long? records = null, params DataCategory[] cats) => new()
    {
        Name = "s",
        Criticality = c,
        MonthlyRecords = records,
        DataCategories = cats.Aggregate(DataCategory.None, (a, b) => a | b),
    };

    [Theory]
    [InlineData(Criticality.Low, RiskTier.Low)]
    [InlineData(Criticality.Medium, RiskTier.Low)]
    [InlineData(Criticality.High, RiskTier.Medium)]
    [InlineData(Criticality.Critical, RiskTier.High)]
    public void NoData_TierFollowsCriticality(Criticality c, RiskTier expected) =>
        Assert.Equal(expected, RiskCalculator.ForService(Svc(c)).Tier);

    [Fact]
    public void SpecialCategory_IsHigh_AndCriticalWhenBusinessCritical()
    {
        Assert.Equal(RiskTier.High, RiskCalculator.ForService(Svc(Criticality.Low, null, DataCategory.Health)).Tier);
        var critical = RiskCalculator.ForService(Svc(Criticality.High, null, DataCategory.ChildrensData));
        Assert.Equal(RiskTier.Critical, critical.Tier);
        Assert.Contains(critical.Reasons, r => r.Contains("children's data", StringComparison.Ordinal));
    }

    [Fact]
    public void Credentials_AreAlwaysAtLeastHigh()
    {
        var r = RiskCalculator.ForService(Svc(Criticality.Low, null, DataCategory.Credentials));
        Assert.Equal(RiskTier.High, r.Tier);
        Assert.Contains(r.Reasons, x => x.StartsWith("Credentials shared", StringComparison.Ordinal));
    }

    [Fact]
    public void HighVolume_RaisesOneTier_WithAReason()
    {
        var normal = RiskCalculator.ForService(Svc(Criticality.Medium, 10_000, DataCategory.Financial));
        var heavy = RiskCalculator.ForService(Svc(Criticality.Medium, 5_000_000, DataCategory.Financial));
        Assert.Equal(RiskTier.Medium, normal.Tier);
        Assert.Equal(RiskTier.High, heavy.Tier);
        Assert.Contains(heavy.Reasons, r => r.Contains("5,000,000", StringComparison.Ordinal));
    }

    [Fact]
    public void Vendor_TakesItsRiskiestService_AndListsOnlyThatServicesReasons()
    {
        var vendor = new Vendor { Name = "v", Services = [Svc(Criticality.Low, null, DataCategory.ContactData).Also("Mail"), Svc(Criticality.Low, null, DataCategory.Biometrics).Also("Voice")] };
        var risk = RiskCalculator.ForVendor(vendor);
        Assert.Equal(RiskTier.High, risk.Tier);
        Assert.All(risk.Reasons, r => Assert.StartsWith("Voice:", r));
        Assert.Equal(RiskTier.Low, RiskCalculator.ForVendor(new Vendor { Name = "empty" }).Tier);
    }

    [Theory]
    [InlineData("under-review", VendorStatus.UnderReview)]
    [InlineData("Under review", VendorStatus.UnderReview)]
    [InlineData("APPROVED_WITH_CONDITIONS", VendorStatus.ApprovedWithConditions)]
    public void Taxonomy_ParsesKeysLabelsAndNames(string text, VendorStatus expected)
    {
        Assert.True(Taxonomy.TryParse<VendorStatus>(text, out var s));
        Assert.Equal(expected, s);
    }

    [Fact]
    public void Taxonomy_ParsesCategoryListsAndReportsTheUnknownOne()
    {
        Assert.True(Taxonomy.TryParseCategories("Children's data; government-identifiers", out var cats, out _));
        Assert.Equal(DataCategory.ChildrensData | DataCategory.GovernmentIdentifiers, cats);
        Assert.False(Taxonomy.TryParseCategories("health;dna", out _, out var unknown));
        Assert.Equal("dna", unknown);
    }
}

internal static class ServiceNaming
{
    public static AiService Also(this AiService s, string name)
    {
        s.Name = name;
        return s;
    }
}
