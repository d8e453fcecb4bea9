// Copying text to the clipboard: the async Clipboard API where the page is a secure context, else a hidden textarea.
/** Copies `text`; false when the browser refused (no clipboard access at all). */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through: a denied permission still allows the user-gesture copy below
  }
  // Plain http on the LAN is not a secure context: execCommand still copies during the tap that called us.
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}
