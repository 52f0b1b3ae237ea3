using Switchboard.Registry.Acl;

namespace Switchboard.Registry.Tests.Acl;

/// <summary>The rule precedence table: exact beats prefix, longest prefix wins, deny wins at equal specificity, write implies read, default last.</summary>
public sealed class AuthorizerPrecedenceTests
{
    private static Authorizer Compile(string defaultPolicy, params string[] policies)
        => Authorizer.Compile("acc-1", [.. policies.Select(AclRulesParser.Parse)], management: false,
            defaultPolicy == "deny" ? AclAccess.Deny : AclAccess.Write);

    [Theory]
    // exact beats any prefix, whichever is stronger
    [InlineData("""{"service":{"orders":{"policy":"read"}},"service_prefix":{"ord":{"policy":"write"}}}""", "orders", true, false)]
    [InlineData("""{"service":{"orders":{"policy":"write"}},"service_prefix":{"":{"policy":"deny"}}}""", "orders", true, true)]
    [InlineData("""{"service":{"orders":{"policy":"deny"}},"service_prefix":{"":{"policy":"write"}}}""", "orders", false, false)]
    // the longest prefix wins
    [InlineData("""{"service_prefix":{"":{"policy":"write"},"pay":{"policy":"deny"}}}""", "payments", false, false)]
    [InlineData("""{"service_prefix":{"":{"policy":"deny"},"pay":{"policy":"read"},"payments-":{"policy":"write"}}}""", "payments-eu", true, true)]
    [InlineData("""{"service_prefix":{"":{"policy":"deny"},"pay":{"policy":"read"},"payments-":{"policy":"write"}}}""", "payments", true, false)]
    // an exact rule does not match longer names
    [InlineData("""{"service":{"pay":{"policy":"write"}}}""", "payments", false, false)]
    // write implies read
    [InlineData("""{"service":{"orders":{"policy":"write"}}}""", "orders", true, true)]
    // no rule: the default (deny here)
    [InlineData("""{"service":{"orders":{"policy":"write"}}}""", "billing", false, false)]
    [InlineData("", "billing", false, false)]
    public void Service_rules_follow_precedence(string rules, string service, bool read, bool write)
    {
        var authorizer = Compile("deny", rules);
        Assert.Equal(read, authorizer.ServiceRead(service).IsAllowed);
        Assert.Equal(write, authorizer.ServiceWrite(service).IsAllowed);
    }

    [Theory]
    // deny beats write and read at equal specificity across policies
    [InlineData("""{"service":{"orders":{"policy":"write"}}}""", """{"service":{"orders":{"policy":"deny"}}}""", false, false)]
    [InlineData("""{"service_prefix":{"o":{"policy":"read"}}}""", """{"service_prefix":{"o":{"policy":"deny"}}}""", false, false)]
    // write beats read at equal specificity
    [InlineData("""{"service":{"orders":{"policy":"read"}}}""", """{"service":{"orders":{"policy":"write"}}}""", true, true)]
    // specificity still beats deny from a less specific rule in another policy
    [InlineData("""{"service":{"orders":{"policy":"read"}}}""", """{"service_prefix":{"":{"policy":"deny"}}}""", true, false)]
    public void Policies_of_one_token_merge(string first, string second, bool read, bool write)
    {
        var authorizer = Compile("allow", first, second);
        Assert.Equal(read, authorizer.ServiceRead("orders").IsAllowed);
        Assert.Equal(write, authorizer.ServiceWrite("orders").IsAllowed);
    }

    [Fact]
    public void Default_allow_grants_write_but_not_acl()
    {
        var authorizer = Compile("allow", """{"service":{"secret":{"policy":"deny"}}}""");
        Assert.True(authorizer.ServiceWrite("orders").IsAllowed);
        Assert.False(authorizer.ServiceRead("secret").IsAllowed);
        Assert.True(authorizer.AgentWrite("node-1").IsAllowed);
        Assert.True(authorizer.KeyWrite("config/x").IsAllowed);
        Assert.True(authorizer.OperatorWrite().IsAllowed);
        Assert.False(authorizer.AclRead().IsAllowed);
        Assert.False(authorizer.AclWrite().IsAllowed);
    }

    [Fact]
    public void Acl_operator_agent_and_key_rules_apply()
    {
        var authorizer = Compile("deny", """
            {"acl":"read","operator":"write","agent_prefix":{"":{"policy":"read"}},"agent":{"node-1":{"policy":"write"}},
             "key_prefix":{"config/":{"policy":"write"},"config/secret/":{"policy":"deny"}},"key":{"config/secret/public":{"policy":"read"}}}
            """);
        Assert.True(authorizer.AclRead().IsAllowed);
        Assert.False(authorizer.AclWrite().IsAllowed);
        Assert.True(authorizer.OperatorWrite().IsAllowed);
        Assert.True(authorizer.AgentWrite("node-1").IsAllowed);
        Assert.True(authorizer.AgentRead("node-2").IsAllowed);
        Assert.False(authorizer.AgentWrite("node-2").IsAllowed);
        Assert.True(authorizer.KeyWrite("config/db").IsAllowed);
        Assert.False(authorizer.KeyRead("config/secret/pw").IsAllowed);
        Assert.True(authorizer.KeyRead("config/secret/public").IsAllowed);
        Assert.False(authorizer.KeyWrite("config/secret/public").IsAllowed);
        Assert.False(authorizer.KeyRead("other").IsAllowed);
    }

    [Fact]
    public void Management_may_do_everything_even_against_deny_rules()
    {
        var authorizer = Authorizer.Compile("root", [AclRulesParser.Parse("""{"service":{"x":{"policy":"deny"}}}""")], management: true, AclAccess.Deny);
        Assert.True(authorizer.ServiceWrite("x").IsAllowed);
        Assert.True(authorizer.AclWrite().IsAllowed);
        Assert.True(authorizer.OperatorWrite().IsAllowed);
        Assert.True(authorizer.KeyWrite("k").IsAllowed);
    }

    [Fact]
    public void A_denial_names_the_missing_permission_as_consul_does()
    {
        var authorizer = Compile("deny", """{"service":{"payments":{"policy":"read"}}}""");
        var denied = authorizer.ServiceWrite("payments");
        Assert.False(denied.IsAllowed);
        Assert.Equal("service:write", denied.Permission);
        Assert.Equal("Permission denied: token with AccessorID 'acc-1' lacks permission 'service:write' on \"payments\"", denied.Message);
        Assert.Equal("Permission denied: token with AccessorID 'acc-1' lacks permission 'operator:read'", authorizer.OperatorRead().Message);
        var thrown = Assert.Throws<AclPermissionDeniedException>(denied.ThrowIfDenied);
        Assert.Equal(denied.Message, thrown.Message);
        authorizer.ServiceRead("payments").ThrowIfDenied();
    }
}
