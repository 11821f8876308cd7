import { cp, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A project that depends on agentllm, laid out as `npm install agentllm` leaves it: the package's
 * "files" and package.json in node_modules/agentllm, its dependencies hoisted beside it (links to
 * this checkout's). Returns the project folder and the installed binary.
 */
export async function createInstalledProject(prefix: string): Promise<{ project: string; bin: string }> {
  const project = await mkdtemp(join(tmpdir(), prefix));
  const installed = join(project, 'node_modules', 'agentllm');
  await mkdir(installed, { recursive: true });
  const { files } = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { files: string[] };
  for (const entry of [...files, 'package.json']) await cp(join(repo, entry), join(installed, entry), { recursive: true });
  for (const dependency of await readdir(join(repo, 'node_modules'))) {
    if (dependency !== '.bin' && dependency !== 'agentllm') await symlink(join(repo, 'node_modules', dependency), join(project, 'node_modules', dependency));
  }
  await writeFile(join(project, 'package.json'), '{ "name": "my-agents", "private": true, "dependencies": { "agentllm": "*" } }\n');
  return { project, bin: join(installed, 'bin', 'agentllm.js') };
}
