using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Switchboard.Docs.Tests;

/// <summary>
/// Compiles one example on its own, as the Program.cs (or a file) of a <c>dotnet new web</c> or <c>worker</c> project
/// that references Switchboard.Client and Microsoft.Extensions.ServiceDiscovery: the SDK's implicit usings, nothing more,
/// so an example that forgets a Switchboard namespace fails.
/// </summary>
internal static class ExampleCompiler
{
    // The implicit usings of Microsoft.NET.Sdk.Web (a superset of Microsoft.NET.Sdk.Worker's).
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Net.Http.Json;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Microsoft.AspNetCore.Builder;
        global using Microsoft.AspNetCore.Hosting;
        global using Microsoft.AspNetCore.Http;
        global using Microsoft.AspNetCore.Routing;
        global using Microsoft.Extensions.Configuration;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Hosting;
        global using Microsoft.Extensions.Logging;
        """;

    private static readonly CSharpParseOptions Parse = new(LanguageVersion.Preview);

    private static readonly Lazy<MetadataReference[]> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray());

    private static readonly Lazy<ISourceGenerator[]> Generators = new(() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "json-generator.txt"))
            .Where(l => l.Length > 0)
            .SelectMany(p => new AnalyzerFileReference(p, new AssemblyLoader()).GetGenerators(LanguageNames.CSharp))
            .ToArray());

    /// <summary>The compiler's errors, each as <c>file:line: CSxxxx message</c> with the line in the Markdown file.</summary>
    public static IReadOnlyList<string> Errors(DocBlock block)
    {
        var code = CSharpSyntaxTree.ParseText(block.Code, Parse, path: block.File);
        var program = code.GetRoot().DescendantNodes().OfType<GlobalStatementSyntax>().Any();
        var compilation = CSharpCompilation.Create(
            "Example",
            [code, CSharpSyntaxTree.ParseText(ImplicitUsings, Parse)],
            References.Value,
            new CSharpCompilationOptions(program ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        CSharpGeneratorDriver.Create(Generators.Value, parseOptions: Parse)
            .RunGeneratorsAndUpdateCompilation(compilation, out var generated, out _, TestContext.Current.CancellationToken);
        return generated.GetDiagnostics(TestContext.Current.CancellationToken)
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"{block.File}:{block.Line + d.Location.GetLineSpan().StartLinePosition.Line}: {d.Id} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")
            .ToList();
    }

    private sealed class AssemblyLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public System.Reflection.Assembly LoadFromPath(string fullPath) => System.Reflection.Assembly.LoadFrom(fullPath);
    }
}
