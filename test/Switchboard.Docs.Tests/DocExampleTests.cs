namespace Switchboard.Docs.Tests;

/// <summary>Every C# example of docs/client.md and of README.md's SDK section compiles against the real SDK.</summary>
public sealed class DocExampleTests
{
    public static TheoryData<DocBlock> Examples()
    {
        var data = new TheoryData<DocBlock>();
        foreach (var block in DocBlocks.ClientMd.Concat(DocBlocks.ReadmeSdk))
            data.Add(block);
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_Compiles(DocBlock block)
    {
        var errors = ExampleCompiler.Errors(block);
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    [Fact]
    public void Docs_HaveTheExamplesTheTestsExpect()
    {
        Assert.NotEmpty(DocBlocks.ReadmeSdk);       // the heading was renamed: update DocBlocks.ReadmeSdkHeading
        Assert.True(DocBlocks.ClientMd.Count >= 5, $"{DocBlocks.ClientMd.Count} examples in docs/client.md");
    }

    [Fact]
    public void Compiler_ReportsABrokenExample()
    {
        var errors = ExampleCompiler.Errors(new DocBlock("broken.md", 10, "var x = new IServiceClient();"));
        Assert.Contains(errors, e => e.StartsWith("broken.md:10: CS0246", StringComparison.Ordinal));
    }
}
