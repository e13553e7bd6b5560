namespace Proviso.Vendors;

/// <summary>An inherent risk tier with the reasons that produced it.</summary>
public sealed record RiskAssessment(RiskTier Tier, IReadOnlyList<string> Reasons);

/// <summary>
/// Inherent risk: what could go wrong before any control is considered, from the sensitivity of the
/// data categories shared and how critical the service is to the business. The rules are deliberately
/// few and explainable; each one that raises the tier adds a reason a reviewer can read.
/// </summary>
public static class RiskCalculator
{
    /// <summary>Special categories (GDPR art. 9 and children's data): a leak harms people directly.</summary>
    public const DataCategory Special = DataCategory.Health | DataCategory.Biometrics | DataCategory.ChildrensData;

    /// <summary>Data that enables fraud or account takeover.</summary>
    public const DataCategory Sensitive = DataCategory.GovernmentIdentifiers | DataCategory.Credentials | DataCategory.Financial;

    /// <summary>Personal or confidential business data of ordinary sensitivity.</summary>
    public const DataCategory Confidential = DataCategory.CustomerContent | DataCategory.EmployeeData | DataCategory.ContactData;

    public const long HighVolume = 1_000_000;

    public static RiskAssessment ForService(AiService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var reasons = new List<string>();
        var tier = RiskTier.Low;

        void Raise(RiskTier to, string reason)
        {
            reasons.Add(reason);
            if (to > tier)
            {
                tier = to;
            }
        }

        var special = service.DataCategories & Special;
        var sensitive = service.DataCategories & Sensitive;
        var confidential = service.DataCategories & Confidential;
        var critical = service.Criticality >= Criticality.High;

        if (special != DataCategory.None)
        {
            Raise(critical ? RiskTier.Critical : RiskTier.High,
                $"Special-category data shared ({Labels(special)}){(critical ? $" with {service.Criticality.ToString().ToLowerInvariant()} criticality" : "")}");
        }
        if (sensitive != DataCategory.None)
        {
            Raise(critical ? RiskTier.High : RiskTier.Medium, $"Fraud-enabling data shared ({Labels(sensitive)})");
            if (sensitive.HasFlag(DataCategory.Credentials))
            {
                Raise(RiskTier.High, "Credentials shared: a leak gives direct access to systems");
            }
        }
        if (confidential != DataCategory.None)
        {
            Raise(critical ? RiskTier.Medium : RiskTier.Low, $"Personal or confidential data shared ({Labels(confidential)})");
        }
        if (service.Criticality == Criticality.Critical)
        {
            Raise(RiskTier.High, "Business-critical service: an outage or compromise stops core operations");
        }
        else if (service.Criticality == Criticality.High)
        {
            Raise(RiskTier.Medium, "High business criticality");
        }
        if (service.MonthlyRecords >= HighVolume && service.DataCategories != DataCategory.None)
        {
            var raised = tier == RiskTier.Critical ? RiskTier.Critical : tier + 1;
            Raise(raised, $"High volume: about {service.MonthlyRecords:N0} records a month");
        }
        if (reasons.Count == 0)
        {
            reasons.Add("No personal or confidential data declared and low criticality");
        }
        return new RiskAssessment(tier, reasons);
    }

    /// <summary>A vendor is as risky as its riskiest service.</summary>
    public static RiskAssessment ForVendor(Vendor vendor)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        if (vendor.Services.Count == 0)
        {
            return new RiskAssessment(RiskTier.Low, ["No AI services declared yet"]);
        }
        var perService = vendor.Services.Select(s => (s.Name, Risk: ForService(s))).ToList();
        var tier = perService.Max(p => p.Risk.Tier);
        var reasons = perService
            .Where(p => p.Risk.Tier == tier)
            .SelectMany(p => p.Risk.Reasons.Select(r => $"{p.Name}: {r}"))
            .ToList();
        return new RiskAssessment(tier, reasons);
    }

    private static string Labels(DataCategory categories) =>
        string.Join(", ", Taxonomy.Split(categories).Select(Taxonomy.Label).Select(l => l.ToLowerInvariant()));
}
