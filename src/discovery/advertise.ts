// Advertises the daemon with Bonjour/mDNS (bonjour-service, loaded on first use). Failures become a
// warning, never a throw; close() sends goodbye packets and is bounded in time.
import { hostname as osHostname } from "node:os";
import type { Logger } from "../log.js";
import { SERVICE_PROTOCOL, SERVICE_TYPE, encodeTxt, serviceHost, serviceInstanceName } from "./txt.js";

/** The service a responder publishes: bonjour-service's Service, reduced to what is used here. */
export interface PublishedService {
  on(event: "up", listener: () => void): unknown;
  on(event: "error", listener: (err: Error) => void): unknown;
}

export interface ServiceDescription {
  name: string;
  type: string;
  protocol: "tcp";
  port: number;
  host: string;
  txt: Record<string, string>;
}

/** The seam to bonjour-service, so tests can inject failures. */
export interface MdnsResponder {
  publish(service: ServiceDescription): PublishedService;
  /** Sends goodbye packets (TTL 0) for everything published. */
  unpublishAll(callback: () => void): void;
  /** Closes the multicast socket. */
  destroy(callback: () => void): void;
  /** Fatal socket errors (EADDRINUSE/EACCES on 5353) and non-fatal warnings. */
  on(event: "error" | "warning", listener: (err: Error) => void): void;
  /** Sends one mDNS query; the callback reports whether multicast could be sent. */
  query(name: string, type: string, callback: (err: Error | null) => void): void;
}

export type BonjourFactory = () => MdnsResponder | Promise<MdnsResponder>;

export interface AdvertiseOptions {
  /** Service instance name. Default `<hostname> (claude-companion)`. */
  name?: string;
  /** The daemon's port. */
  port: number;
  /** Public TXT keys, exactly v, proto, tls, fp (with TLS only), id, auth. Anything else is refused. */
  txt: unknown;
  logger: Logger;
  /** Host name for the default name and the SRV target. Default os.hostname(). */
  hostname?: string;
  /** Replaces bonjour-service (tests). */
  bonjourFactory?: BonjourFactory;
  /** How long to wait for the announcement before giving up with a warning, ms. Default 5000. */
  publishTimeoutMs?: number;
  /** Upper bound for close(), ms. Default 1000. */
  closeTimeoutMs?: number;
}

export interface Advertisement {
  /** True while the service is announced on the LAN. */
  readonly published: boolean;
  /** Why it is not (or no longer) published; for the log and GET /api/info. */
  readonly warning: string | undefined;
  /** The instance name, e.g. "mac (claude-companion)". */
  readonly name: string;
  /** Sends goodbye packets and closes the socket. Idempotent; resolves within closeTimeoutMs. */
  close(): Promise<void>;
}

/** The real responder over bonjour-service, imported on first use. */
export async function createBonjourResponder(): Promise<MdnsResponder> {
  const { default: Bonjour } = await import("bonjour-service");
  const warningListeners: Array<(err: Error) => void> = [];
  // Send errors while answering queries arrive here. Without this callback bonjour-service throws
  // them from a socket callback and kills the process; one failed answer is not fatal.
  const bonjour = new Bonjour({}, (err: Error) => warningListeners.forEach((l) => l(err)));
  // bonjour-service does not expose its multicast-dns instance in its types; it is `server.mdns`.
  const mdns = (bonjour as unknown as { server?: { mdns?: MdnsSocket } }).server?.mdns;
  return {
    publish: (service) => bonjour.publish({ ...service, probe: true }) as unknown as PublishedService,
    unpublishAll: (callback) => bonjour.unpublishAll(callback),
    destroy: (callback) => bonjour.destroy(callback),
    on(event, listener) {
      if (event === "warning") warningListeners.push(listener);
      mdns?.on(event, listener);
    },
    query(name, type, callback) {
      if (!mdns) return callback(null);
      mdns.query(name, type, (err?: Error | null) => callback(err ?? null));
    },
  };
}

interface MdnsSocket {
  on(event: string, listener: (err: Error) => void): void;
  query(name: string, type: string, callback: (err?: Error | null) => void): void;
}

function withTimeout(ms: number, start: (done: () => void) => void): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    timer.unref();
    try {
      start(() => {
        clearTimeout(timer);
        resolve(true);
      });
    } catch {
      clearTimeout(timer);
      resolve(false);
    }
  });
}

/**
 * Publishes `_claude-companion._tcp` with the given port and TXT. Resolves once it is announced or
 * has failed (never rejects): `{ published: false, warning }` when TXT is refused, bonjour-service
 * cannot start, multicast cannot be sent, or no announcement happens within publishTimeoutMs.
 */
export async function advertise(options: AdvertiseOptions): Promise<Advertisement> {
  const log = options.logger.child({ room: "discovery" });
  const host = options.hostname ?? osHostname();
  const name = options.name ?? serviceInstanceName(host);
  const publishTimeoutMs = options.publishTimeoutMs ?? 5000;
  const closeTimeoutMs = options.closeTimeoutMs ?? 1000;

  let published = false;
  let warning: string | undefined;
  let responder: MdnsResponder | undefined;
  let closing: Promise<void> | undefined;
  let settle: (() => void) | undefined;

  const fail = (reason: string, err?: Error) => {
    const wasPublished = published;
    published = false;
    if (warning === undefined) {
      warning = reason;
      log.warn({ err, wasPublished }, `Bonjour: ${reason}`);
    }
    settle?.();
  };

  const close = (): Promise<void> => {
    closing ??= (async () => {
      const r = responder;
      published = false;
      if (!r) return;
      const started = Date.now();
      // Goodbye packets first (TTL 0), so browsers drop the service at once instead of at expiry.
      const said = await withTimeout(closeTimeoutMs, (done) => r.unpublishAll(done));
      const left = Math.max(50, closeTimeoutMs - (Date.now() - started));
      const closed = await withTimeout(left, (done) => r.destroy(done));
      log.debug({ goodbye: said, closed, ms: Date.now() - started }, "Bonjour: unpublished");
    })();
    return closing;
  };

  const advertisement: Advertisement = {
    get published() {
      return published;
    },
    get warning() {
      return warning;
    },
    name,
    close,
  };

  const txt = encodeTxt(options.txt);
  if (!txt.ok) {
    fail(txt.reason);
    return advertisement;
  }

  try {
    responder = await (options.bonjourFactory ?? createBonjourResponder)();
  } catch (e) {
    fail(`could not start mDNS (${(e as Error).message})`, e as Error);
    return advertisement;
  }
  const r = responder;
  r.on("error", (err) => fail(`mDNS socket error (${(err as NodeJS.ErrnoException).code ?? err.message})`, err));
  r.on("warning", (err) => log.debug({ err }, "Bonjour: mDNS warning"));

  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => fail(`the service was not announced within ${publishTimeoutMs} ms`), publishTimeoutMs);
    timer.unref();
    settle = () => {
      clearTimeout(timer);
      settle = undefined;
      resolve();
    };
    if (warning !== undefined) return settle();
    // bonjour-service reports "up" even when the send failed; this query finds out whether multicast
    // leaves the host at all (ENETUNREACH, EADDRINUSE on 5353, ...).
    r.query(`_${SERVICE_TYPE}._${SERVICE_PROTOCOL}.local`, "PTR", (err) => {
      if (err) return fail(`multicast is not available (${(err as NodeJS.ErrnoException).code ?? err.message})`, err);
      if (warning !== undefined) return settle?.();
      try {
        const service = r.publish({ name, type: SERVICE_TYPE, protocol: SERVICE_PROTOCOL, port: options.port, host: serviceHost(host), txt: txt.record });
        service.on("up", () => {
          if (warning !== undefined) return;
          published = true;
          log.info({ name, port: options.port, type: `_${SERVICE_TYPE}._${SERVICE_PROTOCOL}` }, "Bonjour: advertised");
          settle?.();
        });
        service.on("error", (e) => fail(`publishing failed (${e.message})`, e));
      } catch (e) {
        fail(`publishing failed (${(e as Error).message})`, e as Error);
      }
    });
  });

  if (!published) await close();
  return advertisement;
}
