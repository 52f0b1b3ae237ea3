// Drives Switchboard's Consul KV API (/v1/kv) with the npm `consul` client, against the real agent with its embedded store.
// Run by test/Switchboard.Cli.Tests/Consul/ConsulClientTests.cs:
//   SWITCHBOARD_CONSUL_HOST=127.0.0.1 SWITCHBOARD_CONSUL_PORT=<port> node --test consul-kv.test.js
"use strict";

const { test, after } = require("node:test");
const assert = require("node:assert/strict");
const Consul = require("consul");

const host = process.env.SWITCHBOARD_CONSUL_HOST || "127.0.0.1";
const port = Number(process.env.SWITCHBOARD_CONSUL_PORT || 8500);
const consul = new Consul({ host, port });

// The agent answers a refused cas with the body `false`, as Consul does; this client (through papi) resolves a falsy body as
// undefined, so a refusal reads as "not true".
const refused = (result) => assert.notEqual(result, true);

after(() => consul.destroy());

test("set and get a value, with flags", async () => {
  assert.equal(await consul.kv.set({ key: "config/db/url", value: "postgres://db:5432/app", flags: 42 }), true);

  const item = await consul.kv.get("config/db/url");
  assert.equal(item.Key, "config/db/url");
  assert.equal(item.Value, "postgres://db:5432/app");
  assert.equal(item.Flags, 42);
  assert.ok(item.ModifyIndex > 0);
  assert.equal(item.CreateIndex, item.ModifyIndex);

  assert.equal(await consul.kv.get({ key: "config/db/url", raw: true }).then((b) => b.toString()), "postgres://db:5432/app");
  assert.equal(await consul.kv.get("config/missing"), undefined);
});

test("set with cas: create-only, then only against the current ModifyIndex", async () => {
  assert.equal(await consul.kv.set({ key: "lock/leader", value: "node-a", cas: 0 }), true);
  refused(await consul.kv.set({ key: "lock/leader", value: "node-b", cas: 0 }));

  const current = await consul.kv.get("lock/leader");
  refused(await consul.kv.set({ key: "lock/leader", value: "node-b", cas: current.ModifyIndex + 100 }));
  assert.equal(await consul.kv.set({ key: "lock/leader", value: "node-b", cas: current.ModifyIndex }), true);

  const after = await consul.kv.get("lock/leader");
  assert.equal(after.Value, "node-b");
  assert.equal(after.CreateIndex, current.CreateIndex);
  assert.ok(after.ModifyIndex > current.ModifyIndex);
});

test("recurse and keys with a separator", async () => {
  await consul.kv.set("config/db/user", "app");
  await consul.kv.set("config/cache/ttl", "30s");

  const all = await consul.kv.get({ key: "config/", recurse: true });
  assert.deepEqual(all.map((i) => i.Key), ["config/cache/ttl", "config/db/url", "config/db/user"]);
  assert.deepEqual(all.map((i) => i.Value), ["30s", "postgres://db:5432/app", "app"]);

  assert.deepEqual(await consul.kv.keys("config/"), ["config/cache/ttl", "config/db/url", "config/db/user"]);
  assert.deepEqual(await consul.kv.keys({ key: "config/", separator: "/" }), ["config/cache/", "config/db/"]);
});

test("delete a key, with cas, and a whole prefix", async () => {
  const leader = await consul.kv.get("lock/leader");
  refused(await consul.kv.del({ key: "lock/leader", cas: leader.ModifyIndex - 1 }));
  assert.equal(await consul.kv.del({ key: "lock/leader", cas: leader.ModifyIndex }), true);
  assert.equal(await consul.kv.get("lock/leader"), undefined);

  assert.equal(await consul.kv.del({ key: "config/db/", recurse: true }), true);
  assert.deepEqual(await consul.kv.keys("config/"), ["config/cache/ttl"]);
});

test("a watch on kv.get sees a change within a second", async () => {
  await consul.kv.set("feature/checkout", "off");
  const watch = consul.watch({ method: consul.kv.get, options: { key: "feature/checkout" } });
  try {
    const seen = new Promise((resolve, reject) => {
      watch.on("error", reject);
      watch.on("change", (item) => {
        if (item && item.Value === "on") resolve(Date.now());
      });
    });
    // Let the watch make its first (immediate) call and start blocking on the index it got.
    await new Promise((resolve) => watch.once("change", resolve));
    const start = Date.now();
    await consul.kv.set("feature/checkout", "on");
    const elapsed = (await seen) - start;
    assert.ok(elapsed < 1000, `the watch saw the change after ${elapsed} ms`);
  } finally {
    watch.end();
  }
});

test("sessions are refused with a clear 400", async () => {
  await assert.rejects(consul.kv.set({ key: "lock/x", value: "v", acquire: "0c7e6b29-7a1c-4d7a-9c1e-6e3f6d1c2b3a" }), (err) => {
    assert.equal(err.response.statusCode, 400);
    assert.match(err.message, /does not support sessions/); // the plain-text reason, short enough for the client to show
    return true;
  });
});
