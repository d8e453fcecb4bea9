// Benchmark 9 (issue 20, goal 4): long sessions on a phone. The built web client in headless Chromium (390x844, CPU
// throttled 4x by CDP) against a daemon child with the fake CLI: (a) tapping a session of ~5 000 events in the list
// to a usable, scrolled-to-bottom view, beside an empty session; (b) a phone that missed ~10 000 events catching up
// (reconnect → replay → render), beside a bare `ws` server sending the same frames to a throttled blank page.
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import WebSocket, { WebSocketServer } from "ws";
import { ROOT } from "./lib/procs.mjs";
import { summarize } from "./lib/stats.mjs";
import { daemonTarget } from "./lib/targets.mjs";
import { waitingFor } from "./lib/waits.mjs";
import { CHROMIUM_PATH, goAway, launchChromium, openThrottledPhone, pair, timeCatchUp, timeOpenFromList, waitReady } from "./lib/phone-page.mjs";

// `work N` writes about 10 events per step (text delta, message, tool use, tool result and the stream events).
const EVENTS_PER_STEP = 10;

/** Runs a prompt in a session and resolves once its turn is over and the session is idle again; returns the session's lastSeq. */
async function runTurn(t, ws, sessionId, prompt) {
  const idle = waitingFor(`"${prompt}" in session ${sessionId} to finish (streamComplete, then idle)`, new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`"${prompt}" did not finish within 120 s`)), 120_000);
    let completed = false;
    const on = (data) => {
      const text = String(data);
      if (!text.includes(sessionId)) return;
      if (text.includes('"type":"streamComplete"')) completed = true;
      if (completed && text.includes('"type":"sessionUpdate"') && text.includes('"state":"idle"')) {
        clearTimeout(timer);
        ws.off("message", on);
        resolve();
      }
    };
    ws.on("message", on);
  }));
  t.prompt(ws, sessionId, prompt);
  await idle;
  return lastSeqOf(t, sessionId);
}

async function lastSeqOf(t, sessionId) {
  const res = await fetch(`${t.daemon.url}/api/sessions/${sessionId}`, { headers: { authorization: `Bearer ${t.daemon.token}` } });
  const body = await res.json();
  return (body.session ?? body).lastSeq;
}

/** Every frame the daemon sends a client subscribing with `lastSeq` as the web client does (batched; through its replayComplete). */
function captureReplay(t, sessionId, lastSeq, timeoutMs = 60_000) {
  return waitingFor(`the replay of session ${sessionId} from seq ${lastSeq} (captured for the floor)`, new Promise((resolve, reject) => {
    const ws = new WebSocket(t.daemon.wsUrl, { headers: { Authorization: `Bearer ${t.daemon.token}` }, perMessageDeflate: false });
    const frames = [];
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no replayComplete for session ${sessionId} within ${timeoutMs} ms (${frames.length} frames)`));
    }, timeoutMs);
    ws.on("error", reject);
    ws.on("message", (data) => {
      const text = String(data);
      if (text.includes('"type":"welcome"')) return ws.send(JSON.stringify({ type: "subscribe", requestId: "cap", sessionId, data: { lastSeq, batch: true, omitStreamEvents: true } }));
      frames.push(text);
      if (text.includes('"type":"replayComplete"')) {
        clearTimeout(timer);
        ws.close();
        resolve(frames);
      }
    });
  }));
}

/** The floor: a bare ws server that sends `frames` to each client, and a throttled blank page that parses them. */
async function startBareRelay(frames) {
  const server = createServer((_req, res) => res.end("<!doctype html><title>floor</title>"));
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  wss.on("connection", (ws) => {
    for (const f of frames) ws.send(f);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    /** ms from the socket's open to the last frame parsed in the page. */
    time: (page) =>
      page.evaluate(
        ({ url, n }) =>
          new Promise((resolve, reject) => {
            const ws = new WebSocket(url.replace(/^http/, "ws"));
            let got = 0;
            let t0 = 0;
            let last = null;
            ws.onopen = () => (t0 = performance.now());
            ws.onerror = () => reject(new Error("bare relay: socket error"));
            ws.onmessage = (ev) => {
              last = JSON.parse(ev.data);
              if (++got === n) {
                ws.close();
                resolve({ ms: performance.now() - t0, lastType: last.type });
              }
            };
          }),
        { url, n: frames.length },
      ),
    close: () => new Promise((resolve) => { wss.close(); server.close(resolve); }),
  };
}

export async function benchPhone({ runs, openEvents, missedEvents, throttle = 4, log }) {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing (apt-get install chromium)`);
  if (!existsSync(path.join(ROOT, "dist/web/index.html"))) throw new Error("dist/web is missing: npm run build");
  const t = await daemonTarget();
  const browser = await launchChromium();
  const closers = [];
  try {
    const ws = await t.connect();
    // The sessions of (a): one of ~openEvents events and an empty one.
    const big = await t.openSession(ws);
    const bigSeq = await runTurn(t, ws, big, `work ${Math.round(openEvents / EVENTS_PER_STEP)}`);
    const empty = await t.openSession(ws);
    const emptySeq = await lastSeqOf(t, empty);
    log(`  phone: a session of ${bigSeq} events and an empty one (${emptySeq} events)`);
    const bigFrames = await captureReplay(t, big, 0);
    const bare = await startBareRelay(bigFrames);
    closers.push(() => bare.close());

    const openMs = [];
    const emptyMs = [];
    const bareOpenMs = [];
    let shown = null;
    const phone = await openThrottledPhone(browser, { rate: throttle });
    closers.push(() => phone.close());
    await pair(phone.page, t.daemon);
    for (let r = 0; r < runs; r++) {
      // A reload forgets the page's views (the token stays): every open replays the whole session.
      for (const [id, seq, out] of [[empty, emptySeq, emptyMs], [big, bigSeq, openMs]]) {
        await phone.page.goto(`${t.daemon.url}/#/`);
        await phone.page.reload();
        const res = await timeOpenFromList(phone.page, id, seq);
        out.push(res.ms);
        if (id === big) shown = res;
      }
      const floor = await openThrottledPhone(browser, { rate: throttle });
      await floor.page.goto(bare.url);
      bareOpenMs.push((await bare.time(floor.page)).ms);
      await floor.close();
      log(`  phone open run ${r + 1}/${runs}: ${bigSeq} events ${Math.round(openMs.at(-1))} ms (${shown.items} items, ${shown.nodes} DOM nodes), empty ${Math.round(emptyMs.at(-1))} ms, bare ws of the same frames ${Math.round(bareOpenMs.at(-1))} ms`);
    }

    // (b): each run a fresh session with one short turn, open on the phone; the phone goes away, Claude works
    // (~missedEvents events), the phone comes back.
    const catchMs = [];
    const catchFromOnlineMs = [];
    const bareCatchMs = [];
    let missed = 0;
    let caught = null;
    for (let r = 0; r < runs; r++) {
      const sid = await t.openSession(ws);
      const before = await runTurn(t, ws, sid, "reply");
      await phone.page.goto(`${t.daemon.url}/#/s/${sid}`);
      await phone.page.reload();
      await waitReady(phone.page, before);
      await goAway(phone.page);
      const after = await runTurn(t, ws, sid, `work ${Math.round(missedEvents / EVENTS_PER_STEP)}`);
      missed = after - before;
      caught = await timeCatchUp(phone.page, after);
      catchMs.push(caught.ms);
      catchFromOnlineMs.push(caught.fromOnlineMs);
      const frames = await captureReplay(t, sid, before);
      const relay = await startBareRelay(frames);
      const floor = await openThrottledPhone(browser, { rate: throttle });
      await floor.page.goto(relay.url);
      bareCatchMs.push((await relay.time(floor.page)).ms);
      await floor.close();
      await relay.close();
      log(`  phone catch-up run ${r + 1}/${runs}: ${missed} missed events ${Math.round(catchMs.at(-1))} ms from the socket's open (${Math.round(catchFromOnlineMs.at(-1))} ms from online; ${caught.items} items, ${caught.nodes} DOM nodes), bare ws ${Math.round(bareCatchMs.at(-1))} ms`);
      await t.closeSession(ws, sid);
    }
    if (phone.errors.length) log(`  phone page errors: ${phone.errors.slice(0, 3).join(" | ")}`);
    ws.close();
    const open = summarize(openMs);
    const catchUp = summarize(catchMs);
    return {
      throttle,
      viewport: "390x844",
      openEvents: bigSeq,
      openMs: open,
      emptyOpenMs: summarize(emptyMs),
      bareOpenMs: summarize(bareOpenMs),
      openItems: shown?.items,
      openReplayFrames: bigFrames.length,
      openNodes: shown?.nodes,
      missedEvents: missed,
      catchUpMs: catchUp,
      catchUpFromOnlineMs: summarize(catchFromOnlineMs),
      bareCatchUpMs: summarize(bareCatchMs),
      catchUpItems: caught?.items,
      catchUpNodes: caught?.nodes,
      goal: "open < 1500 ms, catch-up < 2000 ms",
      openMet: open.median < 1500,
      catchUpMet: catchUp.median < 2000,
    };
  } finally {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    await browser.close();
    await t.close();
  }
}
