// Numbers for the benchmark table: medians with min and max over runs, percentiles of samples, the machine.
import { cpus, loadavg, totalmem } from "node:os";

/** Median, min and max of repeated runs (null when there are none). */
export function summarize(values) {
  const v = values.filter((x) => typeof x === "number" && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1], runs: v.length };
}

/** The p-th percentile (0..100) of samples, nearest-rank. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** p50, p99 and max of one run's latency samples (ms). */
export function latencySummary(samples) {
  const s = Float64Array.from(samples).sort();
  return { p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] ?? Number.NaN, n: s.length };
}

export function machine() {
  const list = cpus();
  return {
    cores: list.length,
    model: list[0]?.model?.trim() ?? "unknown",
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** "12.3 (10.1–15.0)" for a summary, with `digits` decimals. */
export function fmt(summary, digits = 1) {
  if (!summary) return "n/a";
  const f = (x) => x.toFixed(digits);
  return `${f(summary.median)} (${f(summary.min)}–${f(summary.max)})`;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Markdown table cell: pipes and line breaks of free text (an error message) would break the row. */
export const cell = (text) => String(text).replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
