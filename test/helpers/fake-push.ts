// A local stand-in for a browser push service: records pushes and decrypts them (RFC 8291 aes128gcm) with the subscription's keys.
import { createDecipheriv, createECDH, createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface Push {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface FakePushService {
  url: string;
  pushes: Push[];
  /** Status to answer (default 201). */
  answerWith(status: number): void;
  waitFor(count: number, timeoutMs?: number): Promise<Push[]>;
  close(): Promise<void>;
}

export async function startFakePushService(): Promise<FakePushService> {
  const pushes: Push[] = [];
  const waiters = new Set<() => void>();
  let status = 201;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      pushes.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) });
      for (const w of waiters) w();
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pushes,
    answerWith: (s) => void (status = s),
    waitFor: (count, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (pushes.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(pushes.slice(0, count));
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${count} pushes (got ${pushes.length})`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A subscriber's keys, as a browser makes them: a P-256 key pair and a 16-byte auth secret. */
export function createSubscriberKeys() {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    p256dh: ecdh.getPublicKey().toString("base64url"),
    auth: auth.toString("base64url"),
    /** Decrypts an aes128gcm push body (RFC 8188 header, RFC 8291 key derivation). */
    decrypt(body: Buffer): string {
      const salt = body.subarray(0, 16);
      const idlen = body[20]!;
      const senderPublic = body.subarray(21, 21 + idlen);
      const ciphertext = body.subarray(21 + idlen);
      const hmac = (key: Buffer, data: Buffer) => createHmac("sha256", key).update(data).digest();
      const secret = ecdh.computeSecret(senderPublic);
      const prkKey = hmac(auth, secret);
      const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), ecdh.getPublicKey(), senderPublic, Buffer.from([1])]);
      const ikm = hmac(prkKey, keyInfo);
      const prk = hmac(salt, ikm);
      const cek = hmac(prk, Buffer.from("Content-Encoding: aes128gcm\0\x01")).subarray(0, 16);
      const nonce = hmac(prk, Buffer.from("Content-Encoding: nonce\0\x01")).subarray(0, 12);
      const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
      decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
      const plain = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
      // Padding: the last record ends with 0x02 and any number of zeros.
      let end = plain.length;
      while (end > 0 && plain[end - 1] === 0) end--;
      if (plain[end - 1] !== 2) throw new Error("bad padding delimiter");
      return plain.subarray(0, end - 1).toString("utf8");
    },
  };
}
