import { basename, join, resolve } from 'node:path';
import type { SourceError } from '../config/definitions.ts';
import { displayPath } from '../config/load-definitions.ts';

/**
 * How a definition error is shown outside `validate` (the /health/ready list, the reload log):
 * never by absolute path. Files are named from their folder (`agents/bad.yaml`), and the
 * folders' paths inside messages are shortened the same way.
 */
export interface SourceFolders {
  agentsDir: string;
  toolkitsDir: string;
}

/** `{file, line, col, message}` with the file and the message's paths relative to the folders. */
export function relativeToFolders(error: SourceError, dirs: SourceFolders | undefined): SourceError {
  const folders = dirs ? [dirs.agentsDir, dirs.toolkitsDir].map((dir) => resolve(dir)) : [];
  const message = folders.reduce((text, folder) => text.replaceAll(folder, basename(folder)), error.message);
  return { ...error, file: folderPath(error.file, folders), message };
}

/** `<folder name>/<path inside it>`; a file outside every folder by its name only. */
function folderPath(file: string, folders: string[]): string {
  const absolute = resolve(file);
  for (const folder of folders) {
    const inside = displayPath(absolute, folder);
    if (inside !== absolute) return join(basename(folder), inside);
  }
  return folders.length > 0 ? basename(file) : file;
}
