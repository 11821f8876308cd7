import type { Tool } from 'agentllm/toolkit';
import { requireFileId } from './drive-ids.ts';
import { buildSearchQuery, FILE_KINDS, resolveMimeType } from './drive-query.ts';
import type { DriveSession } from './drive-session.ts';
import { listFiles } from './list-files.ts';
import { readFileText } from './read-file.ts';
import type { DriveSettings } from './settings.ts';

const FOLDER_ARG = { type: 'string', description: 'A folder id or drive.google.com folder URL.' };
const PAGE_TOKEN_ARG = { type: 'string', description: 'nextPageToken from a previous call, for the next page.' };

/** drive_search, drive_read_file and drive_list_folder for one user's Drive session. */
export function createDriveTools(session: DriveSession, settings: DriveSettings): Tool[] {
  return [searchTool(session, settings), readFileTool(session, settings), listFolderTool(session, settings)];
}

function searchTool(session: DriveSession, settings: DriveSettings): Tool {
  return {
    name: 'drive_search',
    description:
      'Search the user\'s Google Drive for files whose name or text contains the given words. ' +
      'Returns id, name, mimeType, modifiedTime, webViewLink and owners of each match.' +
      (settings.folderId ? ' Searches the configured team folder unless another folder is given.' : ''),
    parameters: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'Words to look for in file names and contents.' },
        kind: { type: 'string', description: `Only files of this kind: ${Object.keys(FILE_KINDS).join(', ')} (or a MIME type).` },
        folder: FOLDER_ARG,
        page_token: PAGE_TOKEN_ARG,
      },
      required: ['query'],
    },
    async handler(args, { signal }) {
      const folder = typeof args.folder === 'string' && args.folder ? requireFileId(args.folder, 'folder') : settings.folderId;
      const q = buildSearchQuery({ text: String(args.query ?? ''), mimeType: resolveMimeType(args.kind), folderId: folder });
      const result = await listFiles(session.drive, {
        q, pageSize: settings.maxResults, pageToken: pageToken(args), signal, what: 'the Drive search',
      });
      await session.flush();
      return result;
    },
  };
}

function readFileTool(session: DriveSession, settings: DriveSettings): Tool {
  return {
    name: 'drive_read_file',
    description:
      'Read the text of a Google Drive file by id or URL (docs.google.com and drive.google.com links). ' +
      'Google Docs come back as Markdown, Sheets as CSV (first sheet), Slides as plain text, text files as they are. ' +
      `Long files are truncated to ${settings.maxFileChars} characters.`,
    parameters: {
      type: 'object',
      properties: { file: { type: 'string', description: 'The file id or its URL.' } },
      required: ['file'],
    },
    async handler(args, { signal }) {
      const result = await readFileText(session.drive, requireFileId(args.file), settings.maxFileChars, signal);
      await session.flush();
      return result;
    },
  };
}

function listFolderTool(session: DriveSession, settings: DriveSettings): Tool {
  return {
    name: 'drive_list_folder',
    description:
      'List the files in a Google Drive folder, folders first. ' +
      (settings.folderId ? 'Without a folder, lists the configured team folder.' : 'Without a folder, lists the top of My Drive.'),
    parameters: {
      type: 'object',
      properties: { folder: FOLDER_ARG, page_token: PAGE_TOKEN_ARG },
    },
    async handler(args, { signal }) {
      const folder = typeof args.folder === 'string' && args.folder ? requireFileId(args.folder, 'folder') : (settings.folderId ?? 'root');
      const result = await listFiles(session.drive, {
        q: buildSearchQuery({ folderId: folder }),
        pageSize: settings.maxResults,
        pageToken: pageToken(args),
        orderBy: 'folder,name',
        signal,
        what: `Drive folder ${folder}`,
      });
      await session.flush();
      return result;
    },
  };
}

function pageToken(args: Record<string, unknown>): string | undefined {
  return typeof args.page_token === 'string' && args.page_token ? args.page_token : undefined;
}
