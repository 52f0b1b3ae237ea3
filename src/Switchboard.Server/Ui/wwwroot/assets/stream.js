// The catalog's event stream (server-sent events) read through fetch(), so the token travels in a header, never in
// the address; reconnects by itself with a growing delay and tells the page when it is live or unreachable.
import { headers, routes } from './api.js';

/**
 * Starts reading. onEvent(event) gets each catalog event; onState(state, detail) gets 'live', 'reconnecting' (with the
 * delay in ms) or 'denied'. After every reconnection onState('live') is called again: pages refetch what they show,
 * since the events in between were missed.
 */
export function startEventStream(onEvent, onState) {
  let stopped = false;
  let controller = null;
  let wake = null;
  let delay = 1000;

  async function readOnce() {
    controller = new AbortController();
    const response = await fetch(routes.events(), { headers: headers({ Accept: 'text/event-stream' }), cache: 'no-store', signal: controller.signal });
    if (response.status === 403) return 'denied';
    if (!response.ok || !response.body) throw new Error(`event stream answered ${response.status}`);
    delay = 1000;
    onState('live');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return 'ended';
      buffer += value.replaceAll('\r\n', '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        dispatch(frame);
      }
    }
  }

  function dispatch(frame) {
    let type = 'message';
    const data = [];
    for (const line of frame.split('\n')) {
      if (line.startsWith(':')) continue;
      if (line.startsWith('event:')) type = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length === 0 || type === 'error') return; // a cut-off's reason: the stream ends next and is read again
    try { onEvent(JSON.parse(data.join('\n'))); } catch { /* a frame that is not JSON is skipped */ }
  }

  async function loop() {
    while (!stopped) {
      let outcome;
      try { outcome = await readOnce(); } catch { outcome = 'failed'; }
      if (stopped) return;
      if (outcome === 'denied') { onState('denied'); return; }
      onState('reconnecting', delay);
      await new Promise(resolve => { wake = resolve; setTimeout(resolve, delay); });
      delay = Math.min(delay * 2, 10000);
    }
  }

  loop();
  return {
    stop() { stopped = true; controller?.abort(); wake?.(); },
    retryNow() { wake?.(); },
  };
}
