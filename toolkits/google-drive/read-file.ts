import type { drive_v3 } from '@googleapis/drive';
import { GOOGLE_DOC, GOOGLE_FOLDER, GOOGLE_SHEET, GOOGLE_SLIDES } from './drive-query.ts';
import { describeDriveError } from './drive-errors.ts';

/** Google Workspace files and the text format each one is exported as. */
const EXPORT_FORMATS: Record<string, string> = {
  [GOOGLE_DOC]: 'text/markdown',
  [GOOGLE_SHEET]: 'text/csv',
  [GOOGLE_SLIDES]: 'text/plain',
};
const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-yaml|yaml|x-sh|sql|x-ndjson)\b|[^;]*\+(json|xml)\b)/;
const MAX_DOWNLOAD_BYTES = 10 * 1024 * 1024;
const METADATA_FIELDS = 'id,name,mimeType,size,modifiedTime,webViewLink';

export interface FileSummary {
  id: string;
  name: string;
  mimeType: string;
  modifiedTime?: string;
  webViewLink?: string;
}

export type FileText =
  | (FileSummary & { readable: true; format: string; content: string; truncated: boolean; totalChars: number })
  | (FileSummary & { readable: false; message: string });

/** A file's text: Workspace files exported, text files downloaded, anything else explained. */
export async function readFileText(
  drive: drive_v3.Drive,
  fileId: string,
  maxChars: number,
  signal?: AbortSignal,
): Promise<FileText> {
  const meta = await getMetadata(drive, fileId, signal);
  const summary = summarize(meta);
  const exportType = EXPORT_FORMATS[summary.mimeType];
  if (exportType) {
    const text = await exportText(drive, fileId, exportType, signal);
    return { ...summary, ...truncate(text, maxChars), format: exportType, readable: true };
  }
  const refusal = explainUnreadable(summary.mimeType, Number(meta.size ?? 0));
  if (refusal) return { ...summary, readable: false, message: refusal };
  const text = await downloadText(drive, fileId, signal);
  return { ...summary, ...truncate(text, maxChars), format: summary.mimeType, readable: true };
}

export function summarize(file: drive_v3.Schema$File): FileSummary {
  return {
    id: file.id ?? '',
    name: file.name ?? '',
    mimeType: file.mimeType ?? 'application/octet-stream',
    ...(file.modifiedTime ? { modifiedTime: file.modifiedTime } : {}),
    ...(file.webViewLink ? { webViewLink: file.webViewLink } : {}),
  };
}

function explainUnreadable(mimeType: string, size: number): string | undefined {
  if (mimeType === GOOGLE_FOLDER) return 'This is a folder, not a file: list it with drive_list_folder.';
  if (!TEXT_TYPES.test(mimeType)) {
    return `Cannot read this type of file (${mimeType}) as text; only Google Docs, Sheets, Slides and text files can be read. Share its link with the user instead.`;
  }
  if (size > MAX_DOWNLOAD_BYTES) return `This text file is too large to read (${size} bytes; the limit is ${MAX_DOWNLOAD_BYTES}).`;
  return undefined;
}

function truncate(text: string, maxChars: number): { content: string; truncated: boolean; totalChars: number } {
  if (text.length <= maxChars) return { content: text, truncated: false, totalChars: text.length };
  const note = `\n\n[Truncated: showing the first ${maxChars} of ${text.length} characters.]`;
  return { content: text.slice(0, maxChars) + note, truncated: true, totalChars: text.length };
}

async function getMetadata(drive: drive_v3.Drive, fileId: string, signal?: AbortSignal): Promise<drive_v3.Schema$File> {
  try {
    const res = await drive.files.get({ fileId, fields: METADATA_FIELDS, supportsAllDrives: true }, { signal });
    return res.data;
  } catch (error) {
    throw describeDriveError(error, `Drive file ${fileId}`);
  }
}

async function exportText(drive: drive_v3.Drive, fileId: string, mimeType: string, signal?: AbortSignal): Promise<string> {
  try {
    const res = await drive.files.export({ fileId, mimeType }, { responseType: 'text', signal });
    return String(res.data ?? '');
  } catch (error) {
    throw describeDriveError(error, `Drive file ${fileId}`);
  }
}

async function downloadText(drive: drive_v3.Drive, fileId: string, signal?: AbortSignal): Promise<string> {
  try {
    const res = await drive.files.get({ fileId, alt: 'media', supportsAllDrives: true }, { responseType: 'text', signal });
    return String(res.data ?? '');
  } catch (error) {
    throw describeDriveError(error, `Drive file ${fileId}`);
  }
}
