// Real mDNS between two processes inside private network namespaces: nothing reaches the real LAN.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Netns, createNetns } from "./netns.js";

const FP = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
const TXT = { v: "0.1.0", proto: 1, tls: true, fp: FP, id: "srv_Abc123", auth: "token" };

const withMulticast = createNetns({ multicast: true });
const withoutNetwork = "skip" in withMulticast ? withMulticast : createNetns({ multicast: false });
const skip = "skip" in withMulticast ? withMulticast.skip : "skip" in withoutNetwork ? withoutNetwork.skip : undefined;
if (skip) console.warn(`[discovery] skipping the mDNS namespace tests: ${skip}`);

let outdir: string;
const script = (name: string) => join(outdir, `${name}.cjs`);

beforeAll(async () => {
  if (skip) return;
  outdir = mkdtempSync(join(tmpdir(), "cc-discovery-"));
  // The children run plain node: bundle the TypeScript sources (src/discovery included) for them.
  await build({
    entryPoints: {
      "advertise-child": join(import.meta.dirname, "fixtures", "advertise-child.ts"),
      "browse-child": join(import.meta.dirname, "fixtures", "browse-child.ts"),
    },
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outdir,
    outExtension: { ".js": ".cjs" },
    logLevel: "silent",
  });
});

afterAll(() => {
  for (const ns of [withMulticast, withoutNetwork]) if (!("skip" in ns)) ns.remove();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe.skipIf(skip !== undefined)("advertise in a private network namespace", () => {
  test("a browser sees name, port and exactly the public TXT keys; after close() a goodbye removes it", async () => {
    const ns = withMulticast as Netns;
    const browser = ns.spawnNode(script("browse-child"));
    await browser.next("ready");
    const advertiser = ns.spawnNode(script("advertise-child"), [JSON.stringify({ port: 48123, txt: TXT, hostname: "devbox.example.lan" })]);

    const advertised = await advertiser.next("advertised");
    expect(advertised).toMatchObject({ published: true, warning: null, name: "devbox (claude-companion)" });

    const up = await browser.next((e) => e.event === "up" && e.name === "devbox (claude-companion)");
    expect(up).toMatchObject({ type: "claude-companion", protocol: "tcp", port: 48123, host: "devbox.local", fqdn: "devbox (claude-companion)._claude-companion._tcp.local" });
    expect(up.txt).toEqual({ v: "0.1.0", proto: "1", tls: "1", fp: FP, id: "srv_Abc123", auth: "token" });

    advertiser.send("close");
    const closed = await advertiser.next("closed");
    expect(closed.published).toBe(false);
    expect(closed.ms as number).toBeLessThan(1500);
    await browser.next((e) => e.event === "down" && e.name === "devbox (claude-companion)", 5000);
    browser.send("stop");
  });

  test("without multicast the result is a logged warning, not a throw", async () => {
    const ns = withoutNetwork as Netns;
    const advertiser = ns.spawnNode(script("advertise-child"), [JSON.stringify({ port: 48124, txt: { ...TXT, tls: false, fp: undefined }, hostname: "devbox" })]);
    const advertised = await advertiser.next("advertised");
    expect(advertised.published).toBe(false);
    expect(advertised.warning).toMatch(/multicast is not available \(ENETUNREACH\)/);
    const logged = await advertiser.next((e) => e.event === "log" && e.level === "warn");
    expect(logged.msg).toMatch(/^Bonjour: multicast is not available/);
    advertiser.send("close");
    expect((await advertiser.next("closed")).ms as number).toBeLessThan(1500);
  });
});
