// The npm `consul` client against an agent with ACLs on and default deny: with a token it works, without one it is
// refused (writes) or filtered (reads), as against Consul. Run by test/Switchboard.Cli.Tests/Consul/ConsulClientTests.cs:
//   SWITCHBOARD_CONSUL_HOST=127.0.0.1 SWITCHBOARD_CONSUL_PORT=<port> SWITCHBOARD_CONSUL_TOKEN=<management secret> node --test consul-client-acl.test.js
"use strict";

const { test, after } = require("node:test");
const assert = require("node:assert/strict");
const Consul = require("consul");

const host = process.env.SWITCHBOARD_CONSUL_HOST || "127.0.0.1";
const port = Number(process.env.SWITCHBOARD_CONSUL_PORT || 8500);
const token = process.env.SWITCHBOARD_CONSUL_TOKEN;
assert.ok(token, "SWITCHBOARD_CONSUL_TOKEN must name a management token");

const withToken = new Consul({ host, port, defaults: { token } });
const anonymous = new Consul({ host, port });
const wrongToken = new Consul({ host, port, defaults: { token: "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" } });

after(() => {
  withToken.destroy();
  anonymous.destroy();
  wrongToken.destroy();
});

test("with a token: register, read, deregister", async () => {
  await withToken.agent.service.register({ name: "billing", id: "billing-1", address: "127.0.0.1", port: 7100, tags: ["v1"] });
  const services = await withToken.catalog.service.list();
  assert.deepEqual(services.billing, ["v1"]);
  const entries = await withToken.health.service({ service: "billing" });
  assert.equal(entries.length, 1);
  assert.equal(entries[0].Service.ID, "billing-1");
});

test("without a token: writes get 403 naming the permission, reads are filtered", async () => {
  await assert.rejects(
    anonymous.agent.service.register({ name: "billing", id: "billing-2", address: "127.0.0.1", port: 7101 }),
    (err) => {
      assert.equal(err.response.statusCode, 403);
      assert.match(String(err.response.body), /Permission denied: token with AccessorID '00000000-0000-0000-0000-000000000002' lacks permission 'service:write' on "billing"/);
      return true;
    });
  await assert.rejects(anonymous.agent.service.deregister("billing-1"), (err) => err.response.statusCode === 403);
  assert.deepEqual(await anonymous.catalog.service.list(), {});
  assert.deepEqual(await anonymous.health.service({ service: "billing" }), []);
  // Still there for the token holder.
  assert.equal((await withToken.health.service({ service: "billing" })).length, 1);
});

test("an unknown token: 403 ACL not found", async () => {
  await assert.rejects(wrongToken.catalog.service.list(), (err) => {
    assert.equal(err.response.statusCode, 403);
    assert.match(err.message, /ACL not found/);
    return true;
  });
});

test("with a token: deregister", async () => {
  await withToken.agent.service.deregister("billing-1");
  assert.deepEqual(await withToken.health.service({ service: "billing" }), []);
});
