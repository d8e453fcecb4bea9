// A device revokes itself (DELETE /api/devices/self): its token stops working, its sockets close; the master token is told why not.
import { expect, test } from "vitest";
import { DeviceListResponseSchema, ErrorBodySchema, PairResponseSchema, PairingCodeResponseSchema } from "../../src/protocol/index.js";
import { useTestDaemon } from "../helpers/daemon.js";
import { connectWs } from "../helpers/ws-client.js";

const d = useTestDaemon();

const call = (method: string, path: string, token: string, body?: unknown) =>
  fetch(d.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function pairDevice(name: string) {
  const code = PairingCodeResponseSchema.parse(await (await call("POST", "/api/pairing-codes", d.token, {})).json());
  const res = await fetch(`${d.url}/api/pair`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ pairingToken: code.pairingToken, deviceName: name }),
  });
  return PairResponseSchema.parse(await res.json());
}

const deviceIds = async () => DeviceListResponseSchema.parse(await (await call("GET", "/api/devices", d.token)).json()).devices.map((x) => x.id);

test("a device unpairs itself: it leaves the device list, its token stops working and its open socket closes with 4401", async () => {
  const phone = await pairDevice("Phone to unpair");
  const other = await pairDevice("Other phone");
  const ws = await connectWs(d.wsUrl, { protocols: ["claude-companion", `bearer.${phone.deviceToken}`] });
  await ws.next("welcome");

  const res = await call("DELETE", "/api/devices/self", phone.deviceToken);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ revoked: 1 });
  expect(await ws.closed).toEqual({ code: 4401, reason: "UNAUTHORIZED" });
  expect((await call("GET", "/api/info", phone.deviceToken)).status).toBe(401);
  expect(await deviceIds()).not.toContain(phone.deviceId);
  // Only itself: the other phone keeps working.
  expect(await deviceIds()).toContain(other.deviceId);
  expect((await call("GET", "/api/info", other.deviceToken)).status).toBe(200);
  // A second call with the revoked token is an ordinary 401.
  expect((await call("DELETE", "/api/devices/self", phone.deviceToken)).status).toBe(401);
});

test("the master token gets NOT_A_DEVICE and nothing is revoked", async () => {
  const phone = await pairDevice("Stays paired");
  const res = await call("DELETE", "/api/devices/self", d.token);
  expect(res.status).toBe(400);
  const body = ErrorBodySchema.parse(await res.json());
  expect(body.data.code).toBe("NOT_A_DEVICE");
  expect(body.data.message).toMatch(/master token/);
  expect(await deviceIds()).toContain(phone.deviceId);
  expect((await call("GET", "/api/info", d.token)).status).toBe(200);
});
