using System.Text;
using Proviso.Clauses.Analysis;
using Proviso.Clauses.Playbook;
using Proviso.Clauses.Reading;

namespace Proviso.Clauses.Tests;

/// <summary>Clause variants written for these tests (not from the dev set): each status, negations, exceptions, parameters.</summary>
public class ClauseVariantTests
{
    private static ClauseFinding Analyze(string kind, string text, ClausePlaybook? playbook = null)
    {
        var doc = DocumentReader.Read(new MemoryStream(Encoding.UTF8.GetBytes("1. Terms.\n" + text + "\n2. Other. The parties agree to the terms of this agreement and its schedules.")), "variant.md");
        return new ClauseAnalyzer(playbook ?? ClausePlaybook.Default()).Analyze(doc).Clauses[kind];
    }

    [Theory]
    [InlineData("Vendor shall not use Customer Data to train, retrain or improve any machine learning model.", ClauseStatus.Present)]
    [InlineData("Vendor may use Customer Data in aggregated and de-identified form to train its models.", ClauseStatus.Contrary)]
    [InlineData("Vendor will use Customer Data only to provide the Services.", ClauseStatus.Missing)]
    public void NonTraining_ReadsProhibitionPermissionAndPurposeLimits(string text, ClauseStatus expected) =>
        Assert.Equal(expected, Analyze("non-training", text).Status);

    [Theory]
    [InlineData("Vendor will notify Customer of any Security Incident within 24 hours of becoming aware of it.", ClauseStatus.Present, 24)]
    [InlineData("Vendor will notify Customer of any Security Incident within 5 days.", ClauseStatus.Weak, 120)]
    [InlineData("Vendor will notify Customer of a Security Incident without undue delay.", ClauseStatus.Weak, null)]
    public void BreachNotification_GradesAgainstThePlaybookHours(string text, ClauseStatus expected, int? hours)
    {
        var f = Analyze("breach-notification", text);
        Assert.Equal(expected, f.Status);
        Assert.Equal(hours, f.Params["hours"] as int?);
    }

    [Fact]
    public void BreachNotification_ResolvesADefinedNoticePeriod()
    {
        var f = Analyze("breach-notification", "“Notice Window” means 36 hours.\nVendor will notify Customer of a Security Incident no later than the Notice Window.");
        Assert.Equal(ClauseStatus.Present, f.Status);
        Assert.Equal(36, f.Params["hours"]);
    }

    [Fact]
    public void Playbook_OverridesChangeTheGrade()
    {
        var strict = ClausePlaybook.WithOverrides("breach-notification:\n  max_hours: 12\n");
        Assert.Equal(ClauseStatus.Weak, Analyze("breach-notification", "Vendor will notify Customer of any Security Incident within 24 hours.", strict).Status);
        Assert.Throws<FormatException>(() => ClausePlaybook.WithOverrides("no-such-kind:\n  weight: 1\n"));
    }

    [Theory]
    [InlineData("Upon termination, Vendor will delete all Customer Data, including backups, within 30 days and certify the deletion in writing.", ClauseStatus.Present)]
    [InlineData("Upon termination, Vendor will delete Customer Data within 90 days.", ClauseStatus.Weak)]
    [InlineData("Upon termination Vendor will delete Customer Data. Vendor may retain copies in its standard backup and record retention systems.", ClauseStatus.Weak)]
    public void Deletion_WeighsDeadlinesAndBackupCarveOuts(string text, ClauseStatus expected) =>
        Assert.Equal(expected, Analyze("deletion-on-termination", text).Status);

    [Fact]
    public void Deletion_ExtractsDaysCertificationAndBackups()
    {
        var f = Analyze("deletion-on-termination", "Upon termination, Vendor will delete all Customer Data, including backups, within 30 days and certify the deletion in writing.");
        Assert.Equal(30, f.Params["days"]);
        Assert.Equal(true, f.Params["certification"]);
        Assert.Equal(true, f.Params["covers_backups"]);
    }

    [Theory]
    [InlineData("As between the parties, Customer owns its Customer Data.", ClauseStatus.Weak)]
    [InlineData("Client shall own all prompts, inputs and outputs, and any data derived from them.", ClauseStatus.Present)]
    [InlineData("Vendor owns the platform and its documentation.", ClauseStatus.Missing)]
    public void DataOwnership_PlainOwnershipWording_IsRead(string text, ClauseStatus expected) =>
        Assert.Equal(expected, Analyze("data-ownership", text).Status);

    [Fact]
    public void SubprocessorChanges_ObjectionWindowStatedFirst_WithALongConditionBeforeTheObjection()
    {
        var f = Analyze("subprocessor-changes", "Vendor will give at least 20 days' notice before any new Subprocessor processes Customer Data. Where, within 14 days following receipt of that notice and acting on reasonable grounds relating to data protection, Customer tells Vendor that it objects, Vendor will propose an alternative.");
        Assert.Equal(20, f.Params["notice_days"]);
        Assert.Equal(14, f.Params["objection_days"]);
    }

    [Theory]
    [InlineData("Customer may audit Vendor's compliance with this agreement, including by inspection of its facilities. Such audits may take place no more than once a year.", 1)]
    [InlineData("Customer may audit Vendor's compliance with this agreement, including by inspection of its facilities. The fees are due within thirty days and once a year the parties meet.", null)]
    public void AuditRights_ReadsAFrequencyLimitFromTheSentenceThatPointsBack(string text, int? perYear)
    {
        var f = Analyze("audit-rights", text);
        Assert.Equal(perYear, f.Params.TryGetValue("per_year", out var v) ? (int?)v : null);
    }

    [Fact]
    public void SubprocessorChanges_ReadsNoticeObjectionAndTermination()
    {
        var f = Analyze("subprocessor-changes", "Vendor will notify Customer at least 30 days before engaging any new Subprocessor. Customer may object within 15 days and, if the objection is not resolved, terminate the affected Services.");
        Assert.Equal(ClauseStatus.Present, f.Status);
        Assert.Equal(30, f.Params["notice_days"]);
        Assert.Equal(15, f.Params["objection_days"]);
        Assert.Equal(true, f.Params["termination_right"]);
    }

    [Theory]
    [InlineData("Vendor will store and process Customer Data only in the EU.", ClauseStatus.Present)]
    [InlineData("Vendor may transfer Customer Data to any country where it or its subprocessors operate, including outside the EEA.", ClauseStatus.Contrary)]
    public void DataResidency_NamesRegionsOrFlagsTransfersAnywhere(string text, ClauseStatus expected) =>
        Assert.Equal(expected, Analyze("data-residency", text).Status);

    [Theory]
    [InlineData("Vendor maintains SOC 2 Type II and ISO 27001 certifications and will provide its reports on request.", ClauseStatus.Present)]
    [InlineData("Vendor encrypts Customer Data at rest and in transit using industry-standard algorithms.", ClauseStatus.Present)]
    public void CertificationsAndEncryption_ArePresentWhenNamed(string text, ClauseStatus expected)
    {
        var kind = text.Contains("encrypt", StringComparison.Ordinal) ? "encryption" : "security-certifications";
        Assert.Equal(expected, Analyze(kind, text).Status);
    }

    [Fact]
    public void Sla_ExtractsUptime()
    {
        var f = Analyze("sla", "The Service will be available 99.9% of the time in each calendar month.");
        Assert.Equal(ClauseStatus.Present, f.Status);
        Assert.Equal(99.9, f.Params["uptime_percent"]);
    }

    [Fact]
    public void EveryKind_IsReported_AndEvidenceCarriesItsLocation()
    {
        var doc = DocumentReader.Read(new MemoryStream(Encoding.UTF8.GetBytes("1. Security.\nVendor will notify Customer of any Security Incident within 24 hours.\n2. Misc. Nothing else applies to this agreement between the parties.")), "x.md");
        var analysis = new ClauseAnalyzer(ClausePlaybook.Default()).Analyze(doc);
        Assert.Equal(ClausePlaybook.Kinds.Count, analysis.Clauses.Count);
        var f = analysis.Clauses["breach-notification"];
        Assert.Equal("1", f.Location!.Section);
        Assert.Equal(f.Evidence, doc.Text[f.Location.Start..f.Location.End]);
    }
}
