// Plain W3C WebDriver over HTTP for the Safari engine: WebKitWebDriver driving MiniBrowser under xvfb-run. No client library.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { vi } from "vitest";

export const WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver";
const XVFB_RUN = "/usr/bin/xvfb-run";

/** MiniBrowser ships inside libwebkit2gtk (its directory name carries the API version). */
function findMiniBrowser(): string | null {
  const lib = "/usr/lib/x86_64-linux-gnu";
  if (!existsSync(lib)) return null;
  for (const d of readdirSync(lib).filter((n) => n.startsWith("webkit2gtk-")).sort().reverse()) {
    const p = `${lib}/${d}/MiniBrowser`;
    if (existsSync(p)) return p;
  }
  return null;
}
export const MINIBROWSER = findMiniBrowser();
export const hasWebKit = existsSync(WEBKIT_DRIVER) && existsSync(XVFB_RUN) && MINIBROWSER !== null;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

export interface WebKitPage {
  goto(url: string): Promise<void>;
  /** Runs a function body in the page (`arguments[0]`… are args) and returns its JSON result. */
  run<T>(body: string, ...args: unknown[]): Promise<T>;
  /** Waits until the body returns a truthy value (bounded). */
  until(body: string, args?: unknown[], timeoutMs?: number): Promise<void>;
  /** Types into the element the CSS selector finds (WebDriver keystrokes: real input events). */
  type(selector: string, text: string): Promise<void>;
  /** Clicks the element the CSS selector finds, through WebDriver (a real click). */
  click(selector: string): Promise<void>;
  close(): Promise<void>;
}

export async function openWebKit(): Promise<WebKitPage> {
  const port = await freePort();
  const driver: ChildProcess = spawn(XVFB_RUN, ["-a", WEBKIT_DRIVER, `--port=${port}`, "--host=127.0.0.1"], { detached: true, stdio: "ignore" });
  const base = `http://127.0.0.1:${port}`;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(base + path, { method, headers: { "content-type": "application/json" }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const json = (await res.json()) as { value: T & { error?: string; message?: string } };
    if (!res.ok) throw new Error(`WebDriver ${method} ${path}: ${json.value?.error ?? res.status} ${json.value?.message ?? ""}`);
    return json.value;
  };
  // The driver needs a moment to listen under xvfb-run.
  const session = await vi.waitFor(
    () =>
      call<{ sessionId: string }>("POST", "/session", {
        capabilities: { alwaysMatch: { "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] } } },
      }),
    { timeout: 30_000, interval: 250 },
  );
  const s = `/session/${session.sessionId}`;
  const find = async (selector: string) => {
    const el = await call<Record<string, string>>("POST", `${s}/element`, { using: "css selector", value: selector });
    return Object.values(el)[0]!;
  };
  const page: WebKitPage = {
    async goto(url) {
      await call("POST", `${s}/url`, { url });
    },
    run: (body, ...args) => call("POST", `${s}/execute/sync`, { script: body, args }),
    async until(body, args = [], timeoutMs = 20_000) {
      await vi.waitFor(
        async () => {
          if (!(await page.run<boolean>(body, ...args))) throw new Error(`WebKit: still waiting for ${body}`);
        },
        { timeout: timeoutMs, interval: 100 },
      );
    },
    async type(selector, text) {
      await call("POST", `${s}/element/${await find(selector)}/value`, { text });
    },
    async click(selector) {
      await call("POST", `${s}/element/${await find(selector)}/click`, {});
    },
    async close() {
      await call("DELETE", s).catch(() => undefined);
      if (driver.pid) {
        try {
          process.kill(-driver.pid, "SIGTERM"); // xvfb-run, Xvfb and the driver: one process group
        } catch {
          // already gone
        }
      }
    },
  };
  return page;
}
