// A certificate authority of the test's own, and leaf certificates it signs (stand-ins for Let's Encrypt via `tailscale cert`).
import { generate } from "selfsigned";

const DAY_MS = 86_400_000;

export interface TestCa {
  cert: string;
  key: string;
  /** A leaf for `name` valid from yesterday for `days` days, signed by this CA. */
  issue(name: string, days?: number): Promise<{ cert: string; key: string }>;
}

export async function createTestCa(): Promise<TestCa> {
  const ca = await generate([{ name: "commonName", value: "claude-companion test CA" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate: new Date(Date.now() - DAY_MS),
    notAfterDate: new Date(Date.now() + 30 * DAY_MS),
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return {
    cert: ca.cert,
    key: ca.private,
    async issue(name, days = 90) {
      const leaf = await generate([{ name: "commonName", value: name }], {
        keyType: "ec",
        curve: "P-256",
        algorithm: "sha256",
        notBeforeDate: new Date(Date.now() - DAY_MS),
        notAfterDate: new Date(Date.now() + days * DAY_MS),
        ca: { cert: ca.cert, key: ca.private },
        extensions: [
          { name: "basicConstraints", cA: false },
          { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
          { name: "extKeyUsage", serverAuth: true },
          { name: "subjectAltName", altNames: [{ type: 2, value: name }] },
        ],
      });
      return { cert: leaf.cert, key: leaf.private };
    },
  };
}
