// Drives Switchboard's Consul-compatible API with the npm `consul` client, a library no one here wrote.
// Run by test/Switchboard.Cli.Tests/Consul/ConsulClientTests.cs against the real `switchboard agent` process:
//   SWITCHBOARD_CONSUL_HOST=127.0.0.1 SWITCHBOARD_CONSUL_PORT=<port> node --test consul-client.test.js
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const http = require("node:http");
const Consul = require("consul");
const { eventually } = require("../node-shared/eventually");

const host = process.env.SWITCHBOARD_CONSUL_HOST || "127.0.0.1";
const port = Number(process.env.SWITCHBOARD_CONSUL_PORT || 8500);
const consul = new Consul({ host, port });

let target; // a real HTTP service on loopback for the HTTP check
let targetPort;

before(async () => {
  target = http.createServer((req, res) => {
    res.writeHead(req.url === "/health" ? 200 : 404, { "content-type": "text/plain" });
    res.end(req.url === "/health" ? "ok" : "not found");
  });
  await new Promise((resolve) => target.listen(0, "127.0.0.1", resolve));
  targetPort = target.address().port;
});

after(async () => {
  consul.destroy();
  await new Promise((resolve) => target.close(resolve));
});

test("the agent answers as a Consul agent", async () => {
  const self = await consul.agent.self();
  assert.equal(self.Config.Datacenter, "dc1");
  assert.ok(self.Config.NodeName.length > 0);
  assert.match(await consul.status.leader(), /:8300$/);
});

test("registers a service with an HTTP check and a TTL check", async () => {
  await consul.agent.service.register({
    name: "web",
    id: "web-1",
    address: "127.0.0.1",
    port: targetPort,
    tags: ["api", "v1"],
    meta: { team: "checkout" },
    checks: [
      { name: "http", http: `http://127.0.0.1:${targetPort}/health`, interval: "1s", timeout: "2s" },
      { name: "ttl", checkid: "web-1-ttl", ttl: "30s" },
    ],
  });

  const services = await consul.agent.service.list();
  assert.equal(services["web-1"].Service, "web");
  assert.equal(services["web-1"].Port, targetPort);
  assert.deepEqual(services["web-1"].Tags, ["api", "v1"]);
  assert.deepEqual(services["web-1"].Meta, { team: "checkout" });

  const checks = await consul.agent.check.list();
  assert.equal(checks["web-1-ttl"].Status, "critical"); // Consul: a check starts critical
  assert.equal(checks["service:web-1:1"].Definition.HTTP, `http://127.0.0.1:${targetPort}/health`);
});

test("passes the TTL check", async () => {
  await consul.agent.check.pass({ id: "web-1-ttl", note: "warmed up" });

  const checks = await consul.agent.check.list();
  assert.equal(checks["web-1-ttl"].Status, "passing");
  assert.equal(checks["web-1-ttl"].Output, "warmed up");
});

test("a TTL update on the HTTP check is refused as Consul refuses it", async () => {
  await assert.rejects(consul.agent.check.pass("service:web-1:1"), (err) => {
    assert.equal(err.response.statusCode, 500);
    assert.match(err.message, /does not have associated TTL/);
    return true;
  });
});

test("lists the catalog", async () => {
  const services = await consul.catalog.service.list();
  assert.deepEqual(services.web, ["api", "v1"]);

  const nodes = await consul.catalog.service.nodes("web");
  assert.equal(nodes.length, 1);
  assert.equal(nodes[0].ServiceID, "web-1");
  assert.equal(nodes[0].ServiceAddress, "127.0.0.1");
  assert.equal(nodes[0].ServicePort, targetPort);
});

test("queries passing instances by tag", async () => {
  // The HTTP check starts critical and passes after its first probe of the live target.
  const passing = await eventually(
    () => consul.health.service({ service: "web", tag: "api", passing: true }),
    (entries) => entries.length === 1,
    "web-1 to pass both checks",
  );
  assert.equal(passing[0].Service.ID, "web-1");
  assert.ok(passing[0].Checks.every((check) => check.Status === "passing"));

  assert.deepEqual(await consul.health.service({ service: "web", tag: "v2", passing: true }), []);
});

test("a watch sees a new instance within a second", async () => {
  const watch = consul.watch({ method: consul.health.service, options: { service: "web" } });
  try {
    const seen = new Promise((resolve, reject) => {
      watch.on("error", reject);
      watch.on("change", (entries) => {
        if (entries.some((entry) => entry.Service.ID === "web-2")) resolve(Date.now());
      });
    });
    // Let the watch make its first (immediate) call and start blocking on the index it got.
    await new Promise((resolve) => {
      watch.once("change", resolve);
    });
    const start = Date.now();
    await consul.agent.service.register({ name: "web", id: "web-2", address: "127.0.0.1", port: targetPort, tags: ["api"] });
    const elapsed = (await seen) - start;
    assert.ok(elapsed < 1000, `the watch saw web-2 after ${elapsed} ms`);
  } finally {
    watch.end();
  }
});

test("deregisters", async () => {
  await consul.agent.service.deregister("web-1");
  await consul.agent.service.deregister({ id: "web-2" });

  assert.deepEqual(await consul.catalog.service.nodes("web"), []);
  assert.equal((await consul.catalog.service.list()).web, undefined);
  assert.deepEqual(await consul.agent.check.list(), {});
  await assert.rejects(consul.agent.service.deregister("web-1"), (err) => {
    assert.equal(err.response.statusCode, 404);
    return true;
  });
});
