using System.Globalization;
using Switchboard.Registry.Catalog;

namespace Switchboard.Registry.Tests.Catalog;

/// <summary>Huge pages for a large load: the kernel's policy read right, and the advice really lands on the heap (checked in /proc/self/smaps).</summary>
[Collection(nameof(CollectionPauseTests))]
public sealed class HugePageAdviceTests
{
    [Theory]
    [InlineData("always [madvise] never\n", "Madvise")]
    [InlineData("[always] madvise never\n", "Always")]
    [InlineData("always madvise [never]\n", "Never")]
    [InlineData("always madvise never\n", "Unavailable")]
    [InlineData("[sometimes] madvise never", "Unavailable")]
    [InlineData("", "Unavailable")]
    public void Policy_IsTheBracketedWord(string text, string expected)
        => Assert.Equal(expected, HugePageAdvice.ParsePolicy(text).ToString());

    [Fact]
    public void Advice_MarksTheHeapWhereTheNextObjectsGo_WhenTheKernelAsksForIt_UntilWithdrawn()
    {
        var advised = HugePageAdvice.AdviseForNextAllocations(8 * HugePageAdvice.HugePageBytes);
        if (HugePageAdvice.CurrentPolicy() != HugePageAdvice.Policy.Madvise)
        {
            Assert.Null(advised); // always, never, or no transparent huge pages: nothing to ask for
            return;
        }
        Assert.NotNull(advised);
        var (start, length) = advised.Value;
        Assert.Equal(0, start % HugePageAdvice.HugePageBytes);
        Assert.Equal(9 * HugePageAdvice.HugePageBytes, length);

        var objectAddress = HugePageAdvice.AddressOfNewObject();
        Assert.InRange(objectAddress, start, start + length); // the heap's next objects are in the advised range
        Assert.Contains("hg", VmFlagsAt(start).Split(' ')); // the kernel's mark for MADV_HUGEPAGE

        HugePageAdvice.Withdraw(advised.Value);
        var flags = VmFlagsAt(start).Split(' ');
        Assert.DoesNotContain("hg", flags);
        Assert.Contains("nh", flags); // MADV_NOHUGEPAGE: later faults in the range take small pages
    }

    [Fact]
    public void Advice_ForNothing_AsksNothing() => Assert.Null(HugePageAdvice.AdviseForNextAllocations(0));

    /// <summary>The <c>VmFlags</c> of the mapping that holds <paramref name="address"/>, from /proc/self/smaps.</summary>
    private static string VmFlagsAt(long address)
    {
        var inside = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            var dash = line.IndexOf('-', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash && long.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var from)
                && long.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var to))
                inside = address >= from && address < to;
            else if (inside && line.StartsWith("VmFlags:", StringComparison.Ordinal))
                return line["VmFlags:".Length..].Trim();
        }
        throw new InvalidOperationException($"no mapping holds 0x{address:x}");
    }
}
