// Shared by the npm client test scripts (test/consul-client, test/eureka-client).
"use strict";

/** Polls `probe` every 100 ms until `done(value)` or 15 s pass (real processes: no timing is asserted). */
async function eventually(probe, done, what) {
  const deadline = Date.now() + 15000;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
}

module.exports = { eventually };
