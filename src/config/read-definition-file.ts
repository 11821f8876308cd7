/**
 * Reads one definition file (an agent file, a toolkit.yaml) the safe way. What is read:
 * - a regular file of at most MAX_DEFINITION_BYTES (1 MB): a FIFO, a device or a directory is
 *   refused (opened non-blocking, so a FIFO never stalls a reload or the shutdown), and so is a
 *   larger file (read only up to the limit, never whole);
 * - a symbolic link only when its target stays inside `folder` (the agents or toolkits folder):
 *   one to /etc/shadow or /dev/zero is refused without being opened.
 * Everything is asynchronous (the event loop keeps serving while a file is read). A refusal says
 * what the file is, never what it holds.
 */
import { constants } from 'node:fs';
import { lstat, open, realpath } from 'node:fs/promises';
import { relative, isAbsolute } from 'node:path';

export const MAX_DEFINITION_BYTES = 1024 * 1024;

export type DefinitionRead = { text: string } | { problem: string };

export async function readDefinitionFile(path: string, folder: string): Promise<DefinitionRead> {
  try {
    const target = await resolveInside(path, folder);
    if (typeof target !== 'string') return target;
    return await readRegularFile(target);
  } catch (error) {
    return { problem: `cannot read file (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
}

/** The path to open: the file itself, or a link's target inside the folder; else the problem. */
async function resolveInside(path: string, folder: string): Promise<string | { problem: string }> {
  const info = await lstat(path);
  if (!info.isSymbolicLink()) return path;
  const [target, root] = await Promise.all([realpath(path).catch(() => undefined), realpath(folder)]);
  if (target === undefined) return { problem: 'is a symbolic link whose target does not exist' };
  const inside = relative(root, target);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    return { problem: 'is a symbolic link to a file outside its folder: not read (a link is followed only when its target stays inside the folder)' };
  }
  return target;
}

const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;

async function readRegularFile(path: string): Promise<DefinitionRead> {
  const handle = await open(path, OPEN_FLAGS);
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { problem: `is ${describeKind(info)}, not a regular file: only regular files are definitions` };
    if (info.size > MAX_DEFINITION_BYTES) return { problem: tooLarge(info.size) };
    // One byte more than its size: a file that grew since is noticed (and refused past the limit).
    const buffer = Buffer.allocUnsafe(info.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_DEFINITION_BYTES) return { problem: tooLarge(length) };
    return { text: buffer.toString('utf8', 0, length) };
  } finally {
    await handle.close();
  }
}

function tooLarge(bytes: number): string {
  return `is ${bytes} bytes or more, over the limit of a definition file (${MAX_DEFINITION_BYTES} bytes, 1 MB): not read`;
}

function describeKind(info: { isFIFO(): boolean; isDirectory(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isDirectory()) return 'a directory';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'a special file';
}
