using Switchboard.Registry.Acl;

namespace Switchboard.Registry.Tests.Acl;

/// <summary>Consul's JSON rules: what parses, and errors that name their field.</summary>
public sealed class AclRulesParserTests
{
    [Fact]
    public void Parses_the_consul_example()
    {
        var rules = AclRulesParser.Parse("""{"service_prefix":{"":{"policy":"read"}},"service":{"orders":{"policy":"write"}},"acl":"write","operator":"read"}""");
        Assert.Equal(AclAccess.Read, rules.ServicePrefix[""]);
        Assert.Equal(AclAccess.Write, rules.Service["orders"]);
        Assert.Equal(AclAccess.Write, rules.Acl);
        Assert.Equal(AclAccess.Read, rules.Operator);
        Assert.Same(AclRules.Empty, AclRulesParser.Parse("  "));
    }

    [Theory]
    [InlineData("""{"service":{"orders":{"policy":"admin"}}}""", "rules.service.orders.policy", "rules.service.orders.policy must be read, write or deny")]
    [InlineData("""{"service":{"orders":{}}}""", "rules.service.orders.policy", "rules.service.orders.policy is required (read, write or deny)")]
    [InlineData("""{"service":{"orders":{"policy":"read","intentions":"read"}}}""", "rules.service.orders.intentions", "rules.service.orders.intentions is not supported (only policy)")]
    [InlineData("""{"service_prefix":{"":{"policy":1}}}""", "rules.service_prefix.\"\".policy", "rules.service_prefix.\"\".policy must be read, write or deny")]
    [InlineData("""{"acl":"admin"}""", "rules.acl", "rules.acl must be read, write or deny")]
    [InlineData("""{"operator":{"policy":"read"}}""", "rules.operator", "rules.operator must be read, write or deny")]
    [InlineData("""{"node":{"n":{"policy":"read"}}}""", "rules.node", null)]
    [InlineData("""{"key_prefix":"read"}""", "rules.key_prefix", null)]
    [InlineData("""{"agent":{"n":"read"}}""", "rules.agent.n", null)]
    [InlineData("""[1]""", "rules", null)]
    [InlineData("""{"service":""", "rules", null)]
    public void Errors_name_the_field(string json, string field, string? message)
    {
        var ex = Assert.Throws<AclValidationException>(() => AclRulesParser.Parse(json));
        var error = Assert.Single(ex.Errors);
        Assert.Equal(field, error.Field);
        Assert.StartsWith(field, error.Message, StringComparison.Ordinal);
        if (message is not null)
            Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Every_error_is_reported_not_only_the_first()
    {
        Assert.False(AclRulesParser.TryParse("""{"acl":"x","service":{"a":{"policy":"y"}},"bogus":1}""", out _, out var errors));
        Assert.Equal(["rules.acl", "rules.service.a.policy", "rules.bogus"], errors.Select(e => e.Field));
    }
}
