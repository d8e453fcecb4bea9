// The one table of error codes for REST, WebSocket and the CLI. Nothing else defines a code.

/** One row of the error table. */
export interface ErrorSpec {
  /** HTTP status for REST replies. */
  status: number;
  /** WebSocket close code when this error ends a connection (4000 + status, 1009, 1011, 1013). */
  wsClose?: number;
  /** What happened and what to do. `{name}` placeholders are filled from params. */
  message: string;
  /** Optional extra line the CLI prints. */
  hint?: string;
}

export const ERRORS = {
  BAD_REQUEST: { status: 400, message: "The request is malformed: {reason}. Fix the fields named in details and send it again." },
  UNKNOWN_TYPE: { status: 400, message: "Unknown message type '{type}'. See docs/PROTOCOL.md for the types this server accepts." },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: "Send the body as application/json." },
  UNAUTHORIZED: { status: 401, wsClose: 4401, message: "Missing or invalid token. Pair again or pass the token as 'Authorization: Bearer <token>'.", hint: "Run `claude-companion token` on the computer to see the token." },
  PAIRING_TOKEN_UNKNOWN: { status: 401, message: "This pairing code is not known. Run `claude-companion pair` on the computer for a new QR code." },
  PAIRING_TOKEN_USED: { status: 401, message: "This pairing code was already used. Run `claude-companion pair` on the computer for a new QR code." },
  PAIRING_TOKEN_EXPIRED: { status: 401, message: "This pairing code has expired. Run `claude-companion pair` on the computer for a new QR code." },
  FORBIDDEN_PATH: { status: 403, message: "The path '{path}' is not allowed: {reason}.", hint: "Allow more directories with --root DIR." },
  FORBIDDEN_ORIGIN: { status: 403, message: "Requests from origin '{origin}' are not allowed. Add it to ALLOWED_ORIGINS to allow it." },
  NOT_FOUND: { status: 404, message: "No route for {method} {path}." },
  SESSION_NOT_FOUND: { status: 404, message: "No session with id '{sessionId}'. List sessions with GET /api/sessions." },
  PROCESS_NOT_IN_SESSION: { status: 404, message: "Process {pid} is not a background process of session '{sessionId}'. List them with GET /api/sessions/{sessionId}/processes." },
  GRANT_NOT_FOUND: { status: 404, message: "Session '{sessionId}' holds no grant with id '{grantId}'. Its grants are in SessionInfo.grants (GET /api/sessions/{sessionId})." },
  PERMISSION_NOT_FOUND: { status: 404, message: "No permission request with id '{permissionId}' in this session." },
  ACTION_URL_UNKNOWN: { status: 404, message: "This action link is not known: it expired with its permission or was never issued. Open the app to answer." },
  NOTIFY_CHANNEL_NOT_FOUND: { status: 404, message: "No notification channel with id '{id}'.", hint: "List them with: claude-companion notify list" },
  CHANGE_NOT_FOUND: { status: 404, message: "'{path}' is not a changed file of session '{sessionId}'. List them with GET /api/sessions/{sessionId}/changes." },
  METHOD_NOT_ALLOWED: { status: 405, message: "{method} is not allowed on {path}." },
  PERMISSION_NOT_PENDING: { status: 409, message: "Permission request '{permissionId}' is no longer pending: it was {state}." },
  TERMINAL_OWNS_SESSION: { status: 409, message: "Session '{sessionId}' is being written by Claude Code in a terminal (pid {pid}); it is read-only here. Watch it, or fork it with streamStart { resume: '{sessionId}', fork: true } (a new id; the terminal's session stays untouched)." },
  SESSION_READ_ONLY: { status: 409, message: "Session '{sessionId}' is a Claude Code transcript, not a session of this daemon; it is read-only. Continue it with streamStart { resume: '{sessionId}' }." },
  RESUME_DIRECTORY_MISMATCH: { status: 409, message: "Session '{sessionId}' was recorded in '{recorded}', not '{requested}'. Resume it in its own directory (leave workingDirectory out)." },
  GRANT_REVOKE_BUSY: { status: 409, message: "Claude is working in session '{sessionId}' ({reason}); a rule or directory grant is revoked by restarting its Claude process, which would cut the turn. Revoke it once the turn has ended, or stop the turn first." },
  SESSION_CLOSED: { status: 409, message: "Session '{sessionId}' is closed. Start a new session or resume it." },
  PAYLOAD_TOO_LARGE: { status: 413, wsClose: 1009, message: "The message is larger than the limit of {limit} bytes." },
  FILE_TOO_LARGE: { status: 413, message: "'{path}' is {size} bytes, more than the {limit} bytes the viewer reads. Open it on the computer." },
  MISDIRECTED_HOST: { status: 421, message: "Host '{host}' is not a name this server answers to. Use its IP address or add the name to ALLOWED_HOSTS." },
  RATE_LIMITED: { status: 429, message: "Too many requests. Try again in {retryAfter} s." },
  AUTH_RATE_LIMITED: { status: 429, message: "Too many failed authentications from this address. Try again in {retryAfter} s." },
  TOO_MANY_CONNECTIONS: { status: 429, wsClose: 4429, message: "Too many open connections from this address (limit {limit})." },
  TOO_MANY_SESSIONS: { status: 429, message: "The limit of {max} concurrent sessions is reached. Close a session first or raise MAX_SESSIONS." },
  SESSION_BUSY: { status: 429, message: "Session '{sessionId}' already has {limit} queued prompts. Wait for a turn to finish." },
  INTERNAL: { status: 500, wsClose: 1011, message: "Internal server error. The daemon log has the details." },
  PAIRING_VIA_UNAVAILABLE: { status: 409, message: "There is no {via} address to put in a pairing code: {reason}.", hint: "Pair with --via lan, or see `claude-companion doctor`." },
  ACTION_URL_USED: { status: 410, message: "This action link can no longer be used: it was used already, or its permission was {state}." },
  TAILSCALE_CERT_FAILED: { status: 502, message: "`tailscale cert {name}` failed: {reason}.", hint: "Check `tailscale cert` by hand; on Linux it needs root or `sudo tailscale set --operator=$USER`." },
  TLS_CERTIFICATE_INVALID: { status: 500, message: "The TLS certificate cannot be used: {reason}.", hint: "Pass PEM files: --tls-cert <certificate or full chain> --tls-key <unencrypted private key that belongs to it>." },
  GIT_FAILED: { status: 502, message: "git {command} failed in '{directory}': {reason}." },
  CLAUDE_EXITED: { status: 502, message: "Claude Code exited unexpectedly (code {exitCode}, signal {signal}). Send a prompt to resume the conversation." },
  CLAUDE_WRITE_FAILED: { status: 502, message: "A message could not be written to Claude Code ({reason}); the turn was ended. Send the prompt again." },
  CLAUDE_ERROR: { status: 502, message: "Claude Code reported an error (try again; if it keeps failing, run `claude` in a terminal on the computer to see why): {reason}" },
  CLAUDE_UNAVAILABLE: { status: 503, message: "Claude Code CLI is not available at '{path}'.", hint: "Install it with `npm install -g @anthropic-ai/claude-code` or set CLAUDE_CLI_PATH." },
  RESOURCE_LIMIT: { status: 503, message: "{reason} Stopped: {stopped}." },
  SHUTTING_DOWN: { status: 503, wsClose: 1001, message: "The server is shutting down." },
  SLOW_CONSUMER: { status: 503, wsClose: 1013, message: "This connection fell too far behind ({buffered} bytes queued). Reconnect and subscribe with your last seq." },
  CLAUDE_TIMEOUT: { status: 504, message: "Claude Code was silent for {timeoutMs} ms during a turn; the turn was stopped. Send the prompt again to resume the conversation, or raise CLAUDE_TIMEOUT." },
  CONFIG_INVALID: { status: 400, message: "{source}={value} is not valid: expected {allowed}." },
  CONFIG_FILE_INVALID: { status: 500, message: "The config file {path} is not valid ({reason}). Fix or delete it; it was left as it is." },
  NOT_A_DEVICE: { status: 400, message: "The master token is not a paired device, so it cannot unpair itself. Revoke devices with DELETE /api/devices/:id; replace the master token with `claude-companion token --rotate`." },
  TOKEN_FROM_ENV: { status: 409, message: "The master token comes from AUTH_TOKEN, so it cannot be rotated here. Change AUTH_TOKEN and restart the daemon." },
  DEVICE_NOT_SAVED: { status: 503, message: "The paired device could not be saved ({reason}); the pairing code was not used up. Free disk space or fix the config directory and pair again with the same code." },
  ASK_TIMEOUT: { status: 504, message: "The ask did not finish within {timeoutMs} ms; its session was closed. Ask again with a longer timeout or use a session." },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

export type ErrorParams = Record<string, string | number | boolean | null | undefined>;

function fill(template: string, params: ErrorParams): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const v = params[key];
    return v === undefined || v === null ? "unknown" : String(v);
  });
}

/** The one error thrown on purpose anywhere in the daemon. Anything else becomes INTERNAL at the edge. */
export class CompanionError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown>;
  constructor(code: ErrorCode, params: ErrorParams = {}, details: Record<string, unknown> = {}) {
    super(fill(ERRORS[code].message, params));
    this.name = "CompanionError";
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = { ...stripUndefined(params), ...details };
  }
  get hint(): string | undefined {
    const spec: ErrorSpec = ERRORS[this.code];
    return spec.hint;
  }
  get wsClose(): number | undefined {
    const spec: ErrorSpec = ERRORS[this.code];
    return spec.wsClose;
  }
}

function stripUndefined(o: ErrorParams): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

export function isCompanionError(e: unknown): e is CompanionError {
  return e instanceof CompanionError;
}
