using Proviso.Privacy.Operators;

namespace Proviso.Privacy.Tests;

public class PseudonymBatchTests
{
    private static string Token(int n) => $"<PERSON_{n}>";

    [Fact]
    public void Batch_OverTheMemoryVault_HandsOutFromMemory_StoresOnSave_AndRefusesAConflictingBatch()
    {
        var vault = new InMemoryVault();
        var batch = new PseudonymBatch(vault, "conv");
        Assert.Equal("<PERSON_1>", batch.GetOrAdd("conv", "PERSON", "Anna Berg", Token));
        Assert.Equal("<PERSON_1>", batch.GetOrAdd("conv", "PERSON", "Anna Berg", Token));
        Assert.Equal("<PERSON_2>", batch.GetOrAdd("conv", "PERSON", "Wei O'Brien", Token));
        Assert.True(batch.TryResolve("conv", "<PERSON_2>", out var wei));
        Assert.Equal("Wei O'Brien", wei);
        Assert.Equal(["<PERSON_1>", "<PERSON_2>"], batch.Pseudonyms("conv").Order());
        Assert.Equal(0, vault.ScopeCount);

        batch.Save();
        Assert.True(vault.TryResolve("conv", "<PERSON_1>", out var anna));
        Assert.Equal("Anna Berg", anna);
        Assert.Equal(2, vault.Load("conv").Count);

        var next = new PseudonymBatch(vault, "conv");
        var racing = new PseudonymBatch(vault, "conv");
        Assert.Equal("<PERSON_2>", next.GetOrAdd("conv", "PERSON", "Wei O'Brien", Token));
        Assert.Equal("<PERSON_3>", next.GetOrAdd("conv", "PERSON", "Arne", Token));
        Assert.Equal("<PERSON_3>", racing.GetOrAdd("conv", "PERSON", "Mali", Token));
        next.Save();
        Assert.Throws<PseudonymConflictException>(racing.Save);
        Assert.Equal(3, vault.Load("conv").Count);
        // The vault hands out the next free number itself too.
        Assert.Equal("<PERSON_4>", vault.GetOrAdd("conv", "PERSON", "Mali", Token));
    }

    [Fact]
    public void ANewScope_IsNeverLoaded_AndOtherScopesPassThrough()
    {
        var vault = new InMemoryVault();
        vault.GetOrAdd("other", "PERSON", "Anna Berg", Token);
        var batch = new PseudonymBatch(vault, "call-1", isNew: true);
        Assert.Equal("<PERSON_1>", batch.GetOrAdd("call-1", "PERSON", "Mali", Token));
        Assert.True(batch.TryResolve("other", "<PERSON_1>", out var anna));
        Assert.Equal("Anna Berg", anna);
        Assert.False(vault.TryResolve("call-1", "<PERSON_1>", out _));
    }
}
