// Issue 20's goals from one run's results: each with its value, its floor measured in the same run, the ratio, met or missed.
import { cell, fmt } from "./stats.mjs";

const ok = (r) => r && !r.error;
const x = (v, d = 2) => (Number.isFinite(v) ? `${v.toFixed(d)}×` : "–");
const verdict = (met) => (met === true ? "met" : met === false ? "**missed**" : "–");

/** Rows [goal, value, floor (same run), ratio, target, verdict]; a goal whose row did not run says so. */
export function goalRows(r) {
  const rows = [];
  const missing = (goal, name, target) => rows.push([goal, r[name]?.error ? `row failed: ${r[name].error.slice(0, 100)}` : `not in this run (--only=${name} runs it)`, "–", "–", target, r[name]?.error ? "**missed**" : "–"]);

  if (ok(r.startup)) {
    const s = r.startup;
    const ratio = s.realCli.ms.median / s.bareNodeMs.median;
    rows.push(["1. start → first /health 200, ms", fmt(s.realCli.ms, 0), `node -e 0: ${fmt(s.bareNodeMs, 0)}`, `${x(ratio)} (per run ${fmt(s.ratio, 2)}); longest /health wait while starting ${fmt(s.realCli.longestHealthWaitMs, 0)} ms`, "≤ 2.0×", verdict(ratio <= 2)]);
  } else missing("1. start → first /health 200", "startup", "≤ 2.0×");

  if (ok(r.idle)) {
    const i = r.idle;
    const floor = i.bareNodeMb;
    rows.push(["2a. idle RSS, empty history, MB", fmt(i.emptyMb), floor ? `bare node idle: ${fmt(floor)}` : "–", floor ? x(i.emptyMb.median / floor.median) : "–", "≤ 60 MB", verdict(i.emptyMb.median <= 60)]);
    rows.push([`2b. idle RSS, ${i.sessions} closed sessions × ${i.events} events on disk, MB`, `${fmt(i.historyMb)}: +${fmt(i.addedMb)}`, `empty history: ${fmt(i.emptyMb)}`, x(i.historyMb.median / i.emptyMb.median, 3), "≤ +5 MB", verdict(i.addedMb.median <= 5)]);
  } else {
    missing("2a. idle RSS, empty history", "idle", "≤ 60 MB");
    missing("2b. idle RSS with 50 × 5 000 events on disk", "idle", "≤ +5 MB");
  }

  if (ok(r.long)) {
    const l = r.long;
    rows.push([`3a. bytes on the wire, ${l.tokens}-token answer, KB`, fmt(l.daemonKb, 0), `the CLI's stdout: ${fmt(l.floorStdoutKb, 0)}`, x(l.daemonKb.median / l.floorStdoutKb.median, 3), "≤ 150 KB", verdict(l.daemonKb.median <= 150)]);
    rows.push(["3b. prompt → last token (real CLI, cold), ms", fmt(l.daemonMs, 0), `bare CLI: ${fmt(l.floorMs, 0)}`, `${fmt(l.ratio, 2)}×`, "≤ 1.15×", verdict(l.ratio.median <= 1.15)]);
  } else {
    missing("3a. bytes on the wire", "long", "≤ 150 KB");
    missing("3b. prompt → last token", "long", "≤ 1.15×");
  }
  const one = ok(r.latency) ? r.latency.rows.find((row) => row.sessions === 1 && row.clientsPerSession === 1) : undefined;
  if (one) {
    rows.push(["3c. delta latency p99 at 1 session, ms", fmt(one.daemon.p99, 2), `bare ws relay: ${fmt(one.floor.p99, 2)}`, `+${fmt(one.p99AddedOverFloor, 2)} ms`, "added < 20 ms", verdict(one.p99AddedOverFloor.median < 20)]);
  } else missing("3c. delta latency p99 at 1 session", "latency", "added < 20 ms");
  if (ok(r.long)) {
    const l = r.long;
    const smaller = l.deflateKb.median < l.daemonKb.median;
    rows.push(["3d. permessage-deflate (negotiated): KB / ms", `${fmt(l.deflateKb, 0)} / ${fmt(l.deflateMs, 0)}`, `bare CLI: ${fmt(l.floorMs, 0)} ms`, `${fmt(l.deflateRatio, 2)}×; ${x(l.deflateKb.median / l.daemonKb.median, 2)} the plain bytes`, "negotiated, fewer bytes", verdict(smaller)]);
  } else missing("3d. permessage-deflate", "long", "negotiated, fewer bytes");

  if (ok(r.phone)) {
    const p = r.phone;
    rows.push([`4a. open a ${p.openEvents}-event session (Chromium ${p.viewport}, CPU ${p.throttle}× slower), ms`, fmt(p.openMs, 0), `bare ws, same frames: ${fmt(p.bareOpenMs, 0)}; empty session ${fmt(p.emptyOpenMs, 0)}`, x(p.openMs.median / p.bareOpenMs.median), "< 1500 ms", verdict(p.openMet)]);
    rows.push([`4b. catch up ${p.missedEvents} missed events, ms`, fmt(p.catchUpMs, 0), `bare ws, same frames: ${fmt(p.bareCatchUpMs, 0)}`, x(p.catchUpMs.median / p.bareCatchUpMs.median), "< 2000 ms", verdict(p.catchUpMet)]);
  } else {
    missing("4a. open a 5 000-event session on the phone", "phone", "< 1500 ms");
    missing("4b. catch up 10 000 missed events", "phone", "< 2000 ms");
  }

  if (ok(r.history)) {
    const h = r.history;
    rows.push([`5a. history listing, cold, ${h.sessions} transcripts (${h.megabytes} MB), ms`, fmt(h.coldMs, 0), h.floorReadAllMs ? `reading every file's bytes: ${fmt(h.floorReadAllMs, 0)}` : "–", h.floorReadAllMs ? x(h.coldMs.median / h.floorReadAllMs.median) : "–", "< 5000 ms", verdict(h.coldMs.median < 5000)]);
    rows.push(["5b. history listing, cached, ms", fmt(h.cachedMs, 1), h.floorEmptyListMs ? `empty history: ${fmt(h.floorEmptyListMs, 1)}` : "–", h.floorEmptyListMs ? x(h.cachedMs.median / h.floorEmptyListMs.median) : "–", "< 1000 ms", verdict(h.cachedMs.median < 1000)]);
    rows.push(["5c. daemon RSS growth for those listings, MB", fmt(h.rssGrowthMb, 1), `same requests, no transcripts: ${fmt(h.floorRssGrowthMb, 1)}`, `+${h.addedMb.toFixed(1)} MB`, "< 20 MB over the floor", verdict(h.addedMb < 20)]);
  } else {
    missing("5a. history listing, cold", "history", "< 5000 ms");
    missing("5b. history listing, cached", "history", "< 1000 ms");
    missing("5c. memory for the listing", "history", "< 20 MB");
  }
  return rows;
}

/** The goals as a Markdown table. */
export function goalTable(r) {
  const head = ["goal (issue 20)", "value: median (min–max)", "floor, same run", "ratio", "target", "verdict"];
  return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...goalRows(r).map((row) => `| ${row.map(cell).join(" | ")} |`)].join("\n");
}
