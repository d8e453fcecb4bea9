// GET /api/models: the models the CLI's initialize reply listed (the fake CLI's warm spare answers it at start), else none.
import { expect, test, vi } from "vitest";
import { ModelsResponseSchema } from "../../src/protocol/index.js";
import { useTestDaemon } from "../helpers/daemon.js";

const warm = useTestDaemon({ env: { WARM_POOL: "1" } });
const cold = useTestDaemon({ env: { WARM_POOL: "0" } });
const models = async (d: { url: string; token: string }) => {
  const res = await fetch(`${d.url}/api/models`, { headers: { authorization: `Bearer ${d.token}` } });
  expect(res.status).toBe(200);
  return ModelsResponseSchema.parse(await res.json());
};

test("the warm spare's initialize reply names the models: value, label and description", async () => {
  await vi.waitFor(async () => expect((await models(warm)).source).toBe("claude"), { timeout: 20_000, interval: 100 });
  expect((await models(warm)).models).toEqual([{ value: "default", displayName: "Default (recommended)", description: "Fake model" }]);
});

test("no process has answered yet: source none and an empty list (the client offers the free field)", async () => {
  expect(await models(cold)).toEqual({ source: "none", models: [] });
});

test("without a token the route is refused", async () => {
  expect((await fetch(`${warm.url}/api/models`)).status).toBe(401);
});
