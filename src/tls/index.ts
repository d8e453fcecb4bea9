// TLS: the daemon's certificate (self-signed or the user's), its fingerprint, and client-side pinning.
export { CERT_FILE, KEY_FILE, ensureCertificate, loadUserCertificate, wantedAltNames } from "./certificate.js";
export type { EnsureCertificateOptions, LoadUserCertificateOptions, TlsCertificate } from "./certificate.js";
export { fingerprintOf, leafCertificatePem } from "./fingerprint.js";
export { PIN_MISMATCH_CODE, checkPinnedFingerprint, connectPinned, createPinnedAgent, createPinnedConnection, pinnedTlsOptions } from "./pin.js";
