import type { drive_v3 } from '@googleapis/drive';
import { describeDriveError } from './drive-errors.ts';
import { summarize, type FileSummary } from './read-file.ts';

const LIST_FIELDS = 'nextPageToken,files(id,name,mimeType,modifiedTime,webViewLink,owners(displayName,emailAddress))';

export interface ListedFile extends FileSummary {
  owners: string[];
}

export interface FileList {
  files: ListedFile[];
  /** Pass back as page_token for the next page. */
  nextPageToken?: string;
}

export interface ListOptions {
  q: string;
  pageSize: number;
  pageToken?: string;
  orderBy?: string;
  signal?: AbortSignal;
  /** What is being listed, for error messages. */
  what: string;
}

/** files.list across My Drive and shared drives, trimmed to what a model needs. */
export async function listFiles(drive: drive_v3.Drive, options: ListOptions): Promise<FileList> {
  try {
    const res = await drive.files.list(
      {
        q: options.q,
        pageSize: options.pageSize,
        pageToken: options.pageToken,
        orderBy: options.orderBy,
        fields: LIST_FIELDS,
        supportsAllDrives: true,
        includeItemsFromAllDrives: true,
      },
      { signal: options.signal },
    );
    const files = (res.data.files ?? []).map(toListedFile);
    return res.data.nextPageToken ? { files, nextPageToken: res.data.nextPageToken } : { files };
  } catch (error) {
    throw describeDriveError(error, options.what);
  }
}

function toListedFile(file: drive_v3.Schema$File): ListedFile {
  const owners = (file.owners ?? []).map((owner) => owner.emailAddress ?? owner.displayName ?? '').filter(Boolean);
  return { ...summarize(file), owners };
}
