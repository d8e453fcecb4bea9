// Tailscale room: detect the tailnet (address, MagicDNS name, HTTPS) and get its certificate. Knows no HTTP server.
export { createTailscaleRunner, runCommand, tailscaleCommand, type RunResult, type TailscaleRunner } from "./run.js";
export { detectTailscale, parseTailscaleStatus, type TailscaleStatus } from "./status.js";
export { ensureTailscaleCertificate, type EnsureTailscaleCertOptions, type TailscaleCertificate } from "./cert.js";
