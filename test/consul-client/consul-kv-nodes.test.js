// The npm `consul` client's key/value calls against two agent endpoints, A and B:
// - the same agent before and after a kill -9 restart on its data directory (SWITCHBOARD_KV_PHASE=write, then =read);
// - two agents sharing one redis-server (SWITCHBOARD_KV_PHASE=nodes): written on A, read, cas'ed and watched on B.
// Run by test/Switchboard.Cli.Tests/Consul/ConsulClientKeyValueNodesTests.cs:
//   SWITCHBOARD_CONSUL_HOST=127.0.0.1 SWITCHBOARD_CONSUL_PORT=<a> [SWITCHBOARD_CONSUL_PORT_B=<b>] SWITCHBOARD_KV_PHASE=<phase> node --test consul-kv-nodes.test.js
"use strict";

const { test, after } = require("node:test");
const assert = require("node:assert/strict");
const Consul = require("consul");
// B learns A's writes through Redis' pub/sub, a moment later: reads on the other node poll (bounded) until they show it.
const { eventually } = require("../node-shared/eventually");

const host = process.env.SWITCHBOARD_CONSUL_HOST || "127.0.0.1";
const a = new Consul({ host, port: Number(process.env.SWITCHBOARD_CONSUL_PORT) });
const b = process.env.SWITCHBOARD_CONSUL_PORT_B ? new Consul({ host, port: Number(process.env.SWITCHBOARD_CONSUL_PORT_B) }) : a;
const phase = process.env.SWITCHBOARD_KV_PHASE;

after(() => { a.destroy(); if (b !== a) b.destroy(); });

if (phase === "write") {
  test("write values before the kill", async () => {
    assert.equal(await a.kv.set({ key: "app/orders/Timeout", value: "30s", flags: 7 }), true);
    assert.equal(await a.kv.set({ key: "app/orders/Retries", value: "3" }), true);
    assert.equal(await a.kv.set({ key: "app/orders/Retries", value: "4" }), true);
  });
}

if (phase === "read") {
  test("after kill -9 and restart, the values, flags and indexes are there", async () => {
    const items = await a.kv.get({ key: "app/orders/", recurse: true });
    assert.deepEqual(items.map((i) => [i.Key, i.Value, i.Flags]), [["app/orders/Retries", "4", 0], ["app/orders/Timeout", "30s", 7]]);
    const retries = items[0];
    assert.ok(retries.ModifyIndex > retries.CreateIndex, "the second write kept its own index");
    // cas against the index from before the restart still decides
    assert.equal(await a.kv.set({ key: "app/orders/Retries", value: "5", cas: retries.ModifyIndex }), true);
    assert.equal((await a.kv.get("app/orders/Retries")).Value, "5");
  });
}

if (phase === "nodes") {
  test("a value set on A is read on B, with the same indexes", async () => {
    assert.equal(await a.kv.set({ key: "shared/region", value: "eu-west", flags: 3 }), true);
    const onA = await a.kv.get("shared/region");
    const onB = await eventually(() => b.kv.get("shared/region"), (i) => i && i.Value === "eu-west", "B to read A's value");
    assert.deepEqual([onB.Flags, onB.CreateIndex, onB.ModifyIndex], [3, onA.CreateIndex, onA.ModifyIndex]);
  });

  test("cas is decided across nodes: B's stale index is refused after A wrote", async () => {
    const seen = await eventually(() => b.kv.get("shared/region"), (i) => i && i.Value === "eu-west", "B to have the value");
    assert.equal(await a.kv.set({ key: "shared/region", value: "us-east", cas: seen.ModifyIndex }), true);
    assert.notEqual(await b.kv.set({ key: "shared/region", value: "ap-south", cas: seen.ModifyIndex }), true);
    const now = await eventually(() => b.kv.get("shared/region"), (i) => i && i.Value === "us-east", "B to read A's second value");
    assert.equal(await b.kv.set({ key: "shared/region", value: "ap-south", cas: now.ModifyIndex }), true);
    assert.equal((await eventually(() => a.kv.get("shared/region"), (i) => i && i.Value === "ap-south", "A to read B's value")).Value, "ap-south");
  });

  test("a watch on B sees a set on A within a second; a delete on B reaches A", async () => {
    await a.kv.set("shared/flag", "off");
    await eventually(() => b.kv.get("shared/flag"), (i) => i && i.Value === "off", "B to have the flag");
    const watch = b.watch({ method: b.kv.get, options: { key: "shared/flag" } });
    try {
      const seen = new Promise((resolve, reject) => {
        watch.on("error", reject);
        watch.on("change", (item) => { if (item && item.Value === "on") resolve(Date.now()); });
      });
      await new Promise((r) => setTimeout(r, 300));
      const sent = Date.now();
      await a.kv.set("shared/flag", "on");
      const at = await seen;
      assert.ok(at - sent < 1000, `the watch on B saw the change after ${at - sent} ms`);
    } finally {
      watch.end();
    }
    assert.equal(await b.kv.del("shared/flag"), true);
    await eventually(() => a.kv.get("shared/flag"), (i) => i === undefined, "A to see B's delete");
  });
}
