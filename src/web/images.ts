// Pictures for a prompt: read on the phone, shrunk to a long side of 1568 px (WebP, else JPEG), checked against the protocol's limits.
import { IMAGE_MEDIA_TYPES } from "../protocol/constants.js";
import type { PromptImage } from "../protocol/requests.js";
import { refuseSource, type AttachedImage } from "./image-limits.js";

export { fitImages, LIMITS_TEXT, type AttachedImage } from "./image-limits.js";

/** What the Messages API works best with: a longer side is shrunk by the API anyway (and costs more upload). */
export const MAX_LONG_SIDE = 1568;
/** Sent as they are when already small: a screenshot keeps its sharp PNG, a GIF its frames. */
const KEEP_AS_IS_BYTES = 1024 * 1024;
const QUALITY = 0.85;

const isSendable = (type: string): type is PromptImage["mediaType"] => (IMAGE_MEDIA_TYPES as readonly string[]).includes(type);

function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ""));
    r.onerror = () => reject(r.error ?? new Error("read failed"));
    r.readAsDataURL(blob);
  });
}

async function decode(file: Blob): Promise<{ source: CanvasImageSource; width: number; height: number; close(): void }> {
  if (typeof createImageBitmap === "function") {
    const bmp = await createImageBitmap(file);
    return { source: bmp, width: bmp.width, height: bmp.height, close: () => bmp.close() };
  }
  const url = URL.createObjectURL(file);
  const img = new Image();
  img.src = url;
  await img.decode();
  return { source: img, width: img.naturalWidth, height: img.naturalHeight, close: () => URL.revokeObjectURL(url) };
}

function encode(canvas: HTMLCanvasElement, type: string): Promise<Blob | null> {
  return new Promise((resolve) => canvas.toBlob(resolve, type, QUALITY));
}

let seq = 0;

/** Reads one picture, shrinking it when needed. Throws an Error whose message is for the user. */
export async function prepareImage(file: File): Promise<AttachedImage> {
  const refused = refuseSource(file);
  if (refused) throw new Error(refused);
  let pic;
  try {
    pic = await decode(file);
  } catch {
    throw new Error(`${file.name} could not be read: this browser cannot open that kind of picture.`);
  }
  try {
    const id = `img-${Date.now().toString(36)}-${++seq}`;
    const name = file.name || "pasted picture";
    const scale = Math.min(1, MAX_LONG_SIDE / Math.max(pic.width, pic.height));
    if (scale === 1 && isSendable(file.type) && file.size <= KEEP_AS_IS_BYTES) {
      return { id, name, width: pic.width, height: pic.height, mediaType: file.type, data: await base64Of(file) };
    }
    const width = Math.max(1, Math.round(pic.width * scale));
    const height = Math.max(1, Math.round(pic.height * scale));
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error(`${name} could not be shrunk on this phone.`);
    // JPEG has no transparency: a transparent screenshot gets a white background, not a black one.
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(pic.source, 0, 0, width, height);
    // Browsers that cannot encode WebP hand back a PNG: then JPEG.
    const webp = await encode(canvas, "image/webp");
    const blob = webp?.type === "image/webp" ? webp : await encode(canvas, "image/jpeg");
    if (!blob || !isSendable(blob.type)) throw new Error(`${name} could not be shrunk on this phone.`);
    return { id, name, width, height, mediaType: blob.type, data: await base64Of(blob) };
  } finally {
    pic.close();
  }
}

/** Reads several; those that fail are named in `errors`. */
export async function prepareImages(files: readonly File[]): Promise<{ images: AttachedImage[]; errors: string[] }> {
  const images: AttachedImage[] = [];
  const errors: string[] = [];
  for (const f of files) {
    try {
      images.push(await prepareImage(f));
    } catch (e) {
      errors.push(e instanceof Error ? e.message : String(e));
    }
  }
  return { images, errors };
}
