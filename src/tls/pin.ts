// Client-side certificate pinning by SHA-256 fingerprint, for the CLI talking to its own daemon and
// for tests. Nothing is written to the socket before the fingerprint has been checked.
import type { RequestOptions } from "node:http";
import { Agent, type AgentOptions } from "node:https";
import type { Duplex } from "node:stream";
import { type ConnectionOptions, type PeerCertificate, type TLSSocket, connect as tlsConnect } from "node:tls";
import { isIP } from "node:net";
import { normalizeFingerprint } from "../protocol/constants.js";
import { fingerprintOf } from "./fingerprint.js";

/** error.code of a refused connection. */
export const PIN_MISMATCH_CODE = "ERR_TLS_PINNED_FINGERPRINT_MISMATCH";

function expectedFingerprint(fingerprint: string): string {
  const fp = normalizeFingerprint(fingerprint);
  if (fp === null) throw new TypeError("Not a SHA-256 certificate fingerprint");
  return fp;
}

function mismatch(expected: string, actual: string | undefined): Error {
  const err = new Error(`The server's certificate (${actual ?? "none"}) is not the pinned one (${expected})`);
  (err as NodeJS.ErrnoException).code = PIN_MISMATCH_CODE;
  return err;
}

/**
 * A `checkServerIdentity` that accepts exactly the certificate with this fingerprint (the host name
 * is not checked: the pin is stronger). Use it together with `ca: <that certificate's PEM>` and the
 * default rejectUnauthorized: true. On its own with rejectUnauthorized: false it is NOT a pin: Node
 * skips checkServerIdentity when chain validation already failed and does not abort on its result.
 * Without the PEM, use createPinnedAgent / createPinnedConnection instead.
 */
export function checkPinnedFingerprint(fingerprint: string): (hostname: string, cert: PeerCertificate) => Error | undefined {
  const expected = expectedFingerprint(fingerprint);
  return (_hostname, cert) => (cert?.fingerprint256 === expected ? undefined : mismatch(expected, cert?.fingerprint256));
}

/** TLS options trusting exactly this certificate: `{ ca, checkServerIdentity }`, for https.request, tls.connect or ws. */
export function pinnedTlsOptions(certPem: string): Pick<ConnectionOptions, "ca" | "checkServerIdentity"> {
  return { ca: certPem, checkServerIdentity: checkPinnedFingerprint(fingerprintOf(certPem)) };
}

/**
 * Completes the TLS handshake without CA validation, then compares the peer certificate's SHA-256
 * fingerprint with the pin and only then hands the socket over (or destroys it and reports
 * PIN_MISMATCH_CODE). Nothing is sent before the check.
 */
export function connectPinned(options: ConnectionOptions, fingerprint: string, onReady: (err: Error | null, socket?: TLSSocket) => void): TLSSocket {
  const expected = expectedFingerprint(fingerprint);
  const host = options.host ?? "localhost";
  const socket = tlsConnect({
    ...options,
    servername: options.servername ?? (isIP(host) ? undefined : host),
    // Chain validation cannot succeed for a self-signed certificate; the fingerprint check replaces it.
    rejectUnauthorized: false,
  });
  let settled = false;
  const settle = (err: Error | null) => {
    if (settled) return;
    settled = true;
    socket.removeListener("error", onError);
    if (err) {
      socket.destroy();
      onReady(err);
    } else onReady(null, socket);
  };
  const onError = (err: Error) => settle(err);
  socket.once("error", onError);
  socket.once("secureConnect", () => {
    const actual = socket.getPeerCertificate()?.fingerprint256;
    settle(actual === expected ? null : mismatch(expected, actual));
  });
  return socket;
}

type CreateConnection = (options: RequestOptions, oncreate: (err: Error | null, socket: Duplex) => void) => undefined;

/**
 * A `createConnection` for http(s).request and for ws (`new WebSocket(url, { createConnection })`)
 * that pins the server certificate to this fingerprint. Only the connection fields are taken from
 * the request options (their `path` is the HTTP path, which tls.connect would take for a socket path).
 */
export function createPinnedConnection(fingerprint: string): CreateConnection {
  const expected = expectedFingerprint(fingerprint);
  return (options, oncreate) => {
    const o = options as RequestOptions & ConnectionOptions;
    const tlsOptions: ConnectionOptions = { host: o.hostname ?? o.host ?? "localhost", port: Number(o.port ?? 443) };
    if (o.servername !== undefined) tlsOptions.servername = o.servername;
    if (o.timeout !== undefined) tlsOptions.timeout = o.timeout;
    // The host name of a URL with an IPv6 address arrives bracketed.
    tlsOptions.host = tlsOptions.host!.replace(/^\[|\]$/g, "");
    connectPinned(tlsOptions, expected, (err, socket) => (err ? oncreate(err, undefined as unknown as Duplex) : oncreate(null, socket!)));
    return undefined;
  };
}

/** An https.Agent whose connections are pinned to this fingerprint (no TLS session reuse). */
export function createPinnedAgent(fingerprint: string, options: AgentOptions = {}): Agent {
  const expected = expectedFingerprint(fingerprint);
  return new PinnedAgent(expected, { ...options, maxCachedSessions: 0 });
}

class PinnedAgent extends Agent {
  constructor(
    private readonly fingerprint: string,
    options: AgentOptions,
  ) {
    super(options);
  }

  override createConnection(options: RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const tlsOptions = options as ConnectionOptions;
    connectPinned({ ...tlsOptions, host: options.host ?? undefined }, this.fingerprint, (err, socket) => {
      if (err) callback?.(err, undefined as unknown as Duplex);
      else callback?.(null, socket!);
    });
    return undefined;
  }
}
