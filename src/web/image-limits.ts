// What a prompt's pictures may be: the protocol's count and size limits and the phone's own, with the words that say so. Pure.
import { MAX_IMAGE_BYTES, MAX_IMAGES } from "../protocol/constants.js";
import type { PromptImage } from "../protocol/requests.js";

/** A picture this large is refused before decoding (a phone would run out of memory). */
export const MAX_SOURCE_BYTES = 40 * 1024 * 1024;

export interface AttachedImage extends PromptImage {
  /** Local id (previews, remove). */
  id: string;
  name: string;
  width: number;
  height: number;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
export const LIMITS_TEXT = `at most ${MAX_IMAGES} pictures and ${mb(MAX_IMAGE_BYTES)} in all per prompt`;

/**
 * Which of `added` fit beside `current` (count and total base64 size, in order); `refused` says why the
 * rest did not, in words. Pure.
 */
export function fitImages(current: readonly AttachedImage[], added: readonly AttachedImage[]): { images: AttachedImage[]; refused: string | null } {
  const images = [...current];
  let total = images.reduce((n, i) => n + i.data.length, 0);
  const reasons: string[] = [];
  for (const img of added) {
    if (images.length >= MAX_IMAGES) {
      reasons.push(`${img.name}: a prompt takes at most ${MAX_IMAGES} pictures`);
      continue;
    }
    if (total + img.data.length > MAX_IMAGE_BYTES) {
      reasons.push(`${img.name}: the pictures would pass ${mb(MAX_IMAGE_BYTES)} in all`);
      continue;
    }
    images.push(img);
    total += img.data.length;
  }
  return { images, refused: reasons.length > 0 ? reasons.join("; ") + "." : null };
}

/** Why a file cannot be attached before it is even read, or null. Pure. */
export function refuseSource(file: { name: string; type: string; size: number }): string | null {
  if (!file.type.startsWith("image/")) return `${file.name} is not a picture (${file.type || "unknown type"}).`;
  if (file.size > MAX_SOURCE_BYTES) return `${file.name} is ${mb(file.size)}; pictures up to ${mb(MAX_SOURCE_BYTES)} can be attached.`;
  return null;
}
