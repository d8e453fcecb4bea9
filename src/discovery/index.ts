// Discovery: Bonjour advertisement of the daemon. Optional; load it with `await import()`.
export { advertise, createBonjourResponder } from "./advertise.js";
export type { Advertisement, AdvertiseOptions, BonjourFactory, MdnsResponder, PublishedService, ServiceDescription } from "./advertise.js";
export { SERVICE_PROTOCOL, SERVICE_TYPE, TXT_KEYS, encodeTxt, serviceHost, serviceInstanceName } from "./txt.js";
export type { DiscoveryTxt } from "./txt.js";
