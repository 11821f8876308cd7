/** Drive `q` search strings (https://developers.google.com/drive/api/guides/search-files). */

export const GOOGLE_DOC = 'application/vnd.google-apps.document';
export const GOOGLE_SHEET = 'application/vnd.google-apps.spreadsheet';
export const GOOGLE_SLIDES = 'application/vnd.google-apps.presentation';
export const GOOGLE_FOLDER = 'application/vnd.google-apps.folder';

/** Friendly kinds the model may ask for, mapped to MIME types. */
export const FILE_KINDS: Record<string, string> = {
  document: GOOGLE_DOC,
  spreadsheet: GOOGLE_SHEET,
  presentation: GOOGLE_SLIDES,
  folder: GOOGLE_FOLDER,
  pdf: 'application/pdf',
};

export interface SearchQuery {
  text?: string;
  mimeType?: string;
  folderId?: string;
}

/** `(name contains 'x' or fullText contains 'x') and mimeType = '...' and 'id' in parents and trashed = false` */
export function buildSearchQuery({ text, mimeType, folderId }: SearchQuery): string {
  const clauses: string[] = [];
  const words = text?.trim();
  if (words) clauses.push(`(name contains ${quote(words)} or fullText contains ${quote(words)})`);
  if (mimeType) clauses.push(`mimeType = ${quote(mimeType)}`);
  if (folderId) clauses.push(`${quote(folderId)} in parents`);
  clauses.push('trashed = false');
  return clauses.join(' and ');
}

/** A kind ('document') or a MIME type ('text/plain') -> MIME type; throws on anything else. */
export function resolveMimeType(kind: unknown): string | undefined {
  if (kind === undefined || kind === null || kind === '') return undefined;
  const value = String(kind).trim().toLowerCase();
  const mapped = FILE_KINDS[value];
  if (mapped) return mapped;
  if (/^[a-z]+\/[a-z0-9.+-]+$/.test(value)) return value;
  throw new Error(`Unknown file kind "${String(kind)}". Use one of: ${Object.keys(FILE_KINDS).join(', ')}, or a MIME type.`);
}

/** A Drive query string literal: single quotes, with ' and \ escaped by a backslash. */
function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
