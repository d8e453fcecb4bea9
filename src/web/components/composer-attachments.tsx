// The pictures attached to the prompt being written: a preview of each with a remove button.
import { useEffect, useState } from "preact/hooks";
import type { AttachedImage } from "../images.js";

function Preview({ image, onRemove }: { image: AttachedImage; onRemove(): void }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    // A blob URL instead of a data: URL keeps megabytes of base64 out of the DOM.
    const bytes = Uint8Array.from(atob(image.data), (c) => c.charCodeAt(0));
    const u = URL.createObjectURL(new Blob([bytes], { type: image.mediaType }));
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [image]);
  return (
    <li class="attachment" data-image-id={image.id} data-media-type={image.mediaType} data-size={`${image.width}x${image.height}`}>
      {url && <img src={url} alt={image.name} width={64} height={64} />}
      <button type="button" class="remove" aria-label={`Remove ${image.name}`} onClick={onRemove}>
        ×
      </button>
    </li>
  );
}

export function Attachments({ images, onRemove }: { images: AttachedImage[]; onRemove(id: string): void }) {
  if (images.length === 0) return null;
  return (
    <ul class="attachments" aria-label="Attached pictures">
      {images.map((img) => (
        <Preview key={img.id} image={img} onRemove={() => onRemove(img.id)} />
      ))}
    </ul>
  );
}
