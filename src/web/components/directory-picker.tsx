// Pick a working directory instead of typing it: recent ones first, then the allowed roots and their subdirectories.
import { useEffect, useState } from "preact/hooks";
import type { DirectoryListResponse } from "../../protocol/directories.js";
import { listDirectories } from "../api.js";
import { baseName } from "../format.js";
import { getState } from "../store.js";

export function DirectoryPicker({ recent, onPick }: { recent: string[]; onPick(dir: string): void }) {
  const [path, setPath] = useState<string | undefined>(undefined);
  const [listing, setListing] = useState<DirectoryListResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const token = getState().token;
    if (!token) return;
    let live = true;
    setError(null);
    listDirectories(token, path).then(
      (l) => live && setListing(l),
      (e: unknown) => live && setError(e instanceof Error ? e.message : "The directories could not be listed."),
    );
    return () => {
      live = false;
    };
  }, [path]);
  return (
    <section class="sheet picker" aria-label="Pick a directory" data-sheet="directories">
      {listing && <p class="muted small">Allowed: {listing.roots.join(", ")}</p>}
      {path === undefined && recent.length > 0 && (
        <ul class="dir-list" aria-label="Recent directories">
          {recent.map((d) => (
            <li key={`recent-${d}`}>
              <button type="button" class="dir" onClick={() => onPick(d)}>
                <strong>{baseName(d)}</strong> <span class="muted small mono">recent · {d}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {listing?.path && (
        <div class="row">
          <button type="button" class="btn" disabled={listing.parent === null && path === undefined} onClick={() => setPath(listing.parent ?? undefined)}>
            ‹ Up
          </button>
          <span class="mono small ellipsis" title={listing.path}>
            {listing.path}
          </span>
          <button type="button" class="btn primary" onClick={() => onPick(listing.path!)}>
            Use this directory
          </button>
        </div>
      )}
      {error && (
        <p class="error-line" role="alert">
          {error}
        </p>
      )}
      {!listing && !error && <p class="muted small">Loading…</p>}
      {listing && listing.directories.length === 0 && <p class="muted small">No subdirectories here.</p>}
      <ul class="dir-list" aria-label="Directories">
        {listing?.directories.map((d) => (
          <li key={d.path}>
            <button type="button" class="dir" data-git={d.git} onClick={() => setPath(d.path)} aria-label={`Open ${d.name}`}>
              <strong>{d.name}</strong>
              {d.git && <span class="tag">git</span>}
            </button>
          </li>
        ))}
      </ul>
      {listing?.truncated && <p class="muted small">Only the 500 most recently changed are shown.</p>}
    </section>
  );
}
