// Drives Switchboard's Eureka-compatible API with the npm `eureka-js-client`, a library no one here wrote.
// Run by test/Switchboard.Cli.Tests/Eureka/EurekaClientTests.cs against the real `switchboard agent` process:
//   SWITCHBOARD_HOST=127.0.0.1 SWITCHBOARD_PORT=<port> node --test eureka-client.test.js
"use strict";

const { test, after } = require("node:test");
const assert = require("node:assert/strict");
const { Eureka } = require("eureka-js-client");
const { eventually } = require("../node-shared/eventually");

const host = process.env.SWITCHBOARD_HOST || "127.0.0.1";
const port = Number(process.env.SWITCHBOARD_PORT || 8500);
const base = `http://${host}:${port}`;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

const client = new Eureka({
  logger: quiet,
  instance: {
    app: "NODE_APP",
    instanceId: "node-app-1",
    hostName: "127.0.0.1",
    ipAddr: "127.0.0.1",
    port: { $: 9101, "@enabled": true },
    vipAddress: "node-app",
    statusPageUrl: "http://127.0.0.1:9101/info",
    dataCenterInfo: { "@class": "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", name: "MyOwn" },
    metadata: { team: "checkout" },
  },
  // The client's default service path, /eureka/v2/apps/; heartbeats and fetches every half second.
  eureka: { host, port, heartbeatInterval: 500, registryFetchInterval: 500, maxRetries: 0 },
});

async function http(method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: body ? { "content-type": "application/json", accept: "application/json" } : { accept: "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text.length > 0 && response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text };
}

const passing = async (service) => (await http("GET", `/v1/health/service/${service}?passing`)).body;
const fetchRegistry = () => new Promise((resolve, reject) => client.fetchRegistry((err) => (err ? reject(err) : resolve())));

after(() => new Promise((resolve) => client.stop(() => resolve())));

test("a service registered through the native API", async () => {
  const registered = await http("POST", "/service-discovery/register", {
    service_name: "inventory", instance_id: "inventory-1", host: "127.0.0.1", port: 9102, ttl: "0s",
  });
  assert.ok(registered.status === 200 || registered.status === 201, JSON.stringify(registered));
});

test("registers, and heartbeats", async () => {
  await new Promise((resolve, reject) => client.start((err) => (err ? reject(err) : resolve())));
  await new Promise((resolve) => client.once("heartbeat", resolve));
  const instance = await http("GET", "/eureka/apps/NODE_APP/node-app-1");
  assert.equal(instance.status, 200);
  assert.equal(instance.body.instance.status, "UP");
  assert.equal(instance.body.instance.metadata.team, "checkout");
  assert.equal(instance.body.instance.statusPageUrl, "http://127.0.0.1:9101/info");
});

test("fetches the registry and finds itself and the native service", async () => {
  await fetchRegistry();
  const self = client.getInstancesByAppId("NODE_APP");
  assert.equal(self.length, 1);
  assert.equal(self[0].instanceId, "node-app-1");
  assert.equal(self[0].port.$, 9101);
  const inventory = client.getInstancesByAppId("inventory");
  assert.equal(inventory.length, 1);
  assert.equal(inventory[0].ipAddr, "127.0.0.1");
  assert.equal(inventory[0].port.$, 9102);
  assert.equal(client.getInstancesByVipAddress("node-app").length, 1);
});

test("the Eureka instance is discoverable through the native and Consul APIs", async () => {
  const native = await http("GET", "/service-discovery/discover/node-app");
  assert.equal(native.status, 200, JSON.stringify(native));
  assert.equal((await passing("node-app")).length, 1);
});

test("OUT_OF_SERVICE hides it from native, Consul and Eureka discovery; removing the override brings it back", async () => {
  const put = await http("PUT", "/eureka/v2/apps/NODE_APP/node-app-1/status?value=OUT_OF_SERVICE");
  assert.equal(put.status, 200);
  await eventually(() => passing("node-app"), (list) => list.length === 0, "Consul to hide the instance");
  const native = await http("GET", "/service-discovery/discover/node-app");
  assert.notEqual(native.status, 200, "the native API should find no healthy instance");
  await fetchRegistry();
  assert.equal(client.getInstancesByAppId("NODE_APP").length, 0, "the client keeps only UP instances");
  const raw = await http("GET", "/eureka/v2/apps/NODE_APP");
  assert.equal(raw.body.application.instance[0].status, "OUT_OF_SERVICE");
  assert.equal(raw.body.application.instance[0].overriddenStatus, "OUT_OF_SERVICE");

  const removed = await http("DELETE", "/eureka/v2/apps/NODE_APP/node-app-1/status");
  assert.equal(removed.status, 200);
  await eventually(() => passing("node-app"), (list) => list.length === 1, "Consul to show the instance again");
});

test("deregisters on stop", async () => {
  await new Promise((resolve, reject) => client.stop((err) => (err ? reject(err) : resolve())));
  assert.equal((await http("GET", "/eureka/apps/NODE_APP")).status, 404);
  assert.equal((await passing("node-app")).length, 0);
});
