import { requireFileId } from './drive-ids.ts';

/** The agent's `config` for this toolkit (validated against toolkit.yaml), with defaults applied. */
export interface DriveSettings {
  folderId?: string;
  instructionsDoc?: string;
  maxFileChars: number;
  maxResults: number;
}

export const DEFAULT_MAX_FILE_CHARS = 50_000;
export const DEFAULT_MAX_RESULTS = 20;

export function readSettings(config: Record<string, unknown>): DriveSettings {
  const folder = optionalString(config.folder_id);
  return {
    folderId: folder ? requireFileId(folder, 'folder') : undefined,
    instructionsDoc: optionalString(config.instructions_doc),
    maxFileChars: positiveInt(config.max_file_chars, DEFAULT_MAX_FILE_CHARS),
    maxResults: Math.min(positiveInt(config.max_results, DEFAULT_MAX_RESULTS), 100),
  };
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function positiveInt(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;
}
