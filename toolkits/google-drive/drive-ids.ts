/**
 * File and folder ids from what a user or model gives: a bare id or any Google Docs / Drive URL.
 *   https://docs.google.com/document/d/<id>/edit        (also spreadsheets, presentation, forms, u/0/...)
 *   https://drive.google.com/file/d/<id>/view
 *   https://drive.google.com/drive/folders/<id>         (also drive/u/1/folders/<id>)
 *   https://drive.google.com/open?id=<id>, .../uc?id=<id>
 */
const ID = /^[A-Za-z0-9_-]{10,}$/;
const PATH_ID = /\/(?:d|folders)\/([A-Za-z0-9_-]{10,})/;

/** The Drive id in a URL or id, or undefined when the text is neither. */
export function extractFileId(text: string): string | undefined {
  const input = text.trim();
  if (input === 'root' || ID.test(input)) return input;
  const url = parseGoogleUrl(input);
  if (!url) return undefined;
  const fromPath = PATH_ID.exec(url.pathname)?.[1];
  if (fromPath) return fromPath;
  const fromQuery = url.searchParams.get('id');
  return fromQuery && ID.test(fromQuery) ? fromQuery : undefined;
}

/** Like extractFileId, but throws a message the model can act on. */
export function requireFileId(text: unknown, what = 'file'): string {
  const id = typeof text === 'string' ? extractFileId(text) : undefined;
  if (!id) {
    throw new Error(
      `"${String(text)}" is not a Google Drive ${what} id or a docs.google.com / drive.google.com URL.`,
    );
  }
  return id;
}

function parseGoogleUrl(text: string): URL | undefined {
  const withScheme = /^https?:\/\//i.test(text) ? text : `https://${text}`;
  try {
    const url = new URL(withScheme);
    return /(^|\.)google\.com$/i.test(url.hostname) ? url : undefined;
  } catch {
    return undefined;
  }
}
