// Pairing: tokens, one-time pairing codes, the paired-device registry and the QR payload. Pure.
export { DEVICE_TOKEN_BYTES, PAIRING_TOKEN_BYTES, generateToken, hashToken, hashesEqual, isTokenHash, tokensEqual } from "./tokens.js";
export { createPairingCodes } from "./pairing-codes.js";
export type { IssuedPairingCode, PairingCodes, PairingCodesOptions, RedeemedPairingCode } from "./pairing-codes.js";
export { DEVICE_NAME_MAX, normalizeDeviceName, parseDeviceName } from "./device-name.js";
export { createDeviceRegistry } from "./devices.js";
export type { DeviceRegistry, DeviceRegistryOptions, PairedDevice, PublicDevice, RevokeListener } from "./devices.js";
export { createJsonFileDeviceStorage, createKeyValueDeviceStorage, createMemoryDeviceStorage } from "./device-storage.js";
export type { DeviceRecord, DeviceStorage, KeyValueStore, MemoryDeviceStorage } from "./device-storage.js";
export { buildPairingUrl, parsePairingFragment } from "./qr.js";
export type { PairingFragment, PairingUrlInput } from "./qr.js";
