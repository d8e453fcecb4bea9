// What the notification settings say: Web Push only in a secure context with a push-capable browser, else why not and ntfy.
import { describe, expect, test } from "vitest";
import { pushSupportFor } from "../../src/web/push-support.js";

const all = { serviceWorker: true, pushManager: true, notification: true };

describe("pushSupportFor", () => {
  test.each([
    ["plain http on a LAN address", { secure: false, host: "192.168.1.20:3001", ...all }, /only on HTTPS or localhost.*192\.168\.1\.20:3001.*ntfy/],
    ["a browser without PushManager (iPhone not on the home screen)", { secure: true, host: "x.ts.net", ...all, pushManager: false }, /home screen.*ntfy/],
    ["no service workers", { secure: true, host: "x.ts.net", ...all, serviceWorker: false }, /no Web Push/],
  ])("%s: unavailable, with the reason", (_name, page, reason) => {
    const r = pushSupportFor(page);
    expect(r.available).toBe(false);
    expect(r.available ? "" : r.reason).toMatch(reason);
  });

  test.each([
    ["http://127.0.0.1 (a secure context)", { secure: true, host: "127.0.0.1:3001", ...all }],
    ["https with a trusted certificate", { secure: true, host: "pc.tailnet.ts.net:3001", ...all }],
  ])("%s: available", (_name, page) => {
    expect(pushSupportFor(page)).toEqual({ available: true });
  });
});
