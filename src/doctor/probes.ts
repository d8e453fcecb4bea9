// The doctor's probes: a TCP connect (nothing sent), the daemon's certificate over TLS, free disk space. Never throw.
import { X509Certificate } from "node:crypto";
import { statfs } from "node:fs/promises";
import { connect as netConnect } from "node:net";
import { connect as tlsConnect } from "node:tls";

const PROBE_MS = 1500;

export function probe(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host, port, timeout: PROBE_MS });
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.once("connect", () => done(true));
    socket.once("timeout", () => done(false));
    socket.once("error", () => done(false));
  });
}

export function peerCertificate(host: string) {
  return (port: number) =>
    new Promise<{ validTo: number; selfSigned: boolean } | null>((resolve) => {
      // Not verified on purpose: this reads the certificate to report on it, and sends nothing.
      const socket = tlsConnect({ host, port, rejectUnauthorized: false, timeout: PROBE_MS });
      const done = (v: { validTo: number; selfSigned: boolean } | null) => {
        socket.destroy();
        resolve(v);
      };
      socket.once("secureConnect", () => {
        const raw = socket.getPeerCertificate().raw;
        if (!raw) return done(null);
        const x509 = new X509Certificate(raw);
        // Self-signed: issued by its own subject and signed by its own key.
        done({ validTo: Date.parse(x509.validTo), selfSigned: x509.issuer === x509.subject && x509.verify(x509.publicKey) });
      });
      socket.once("timeout", () => done(null));
      socket.once("error", () => done(null));
    });
}

export async function freeBytes(path: string): Promise<number | null> {
  try {
    const s = await statfs(path);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}
