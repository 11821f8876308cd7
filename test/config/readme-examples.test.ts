import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSources } from '../../src/config/load-definitions.ts';

/**
 * Every ```yaml block of README.md that is an agent (or a part of one: only agent keys at the top)
 * or a toolkit manifest (or a part of one, laid over the README's first full manifest) is loaded
 * by the real loader, so the examples cannot rot. Errors are reported at their README line.
 */
const root = join(import.meta.dirname, '../..');
const agentKeys = Object.keys(JSON.parse(await readFile(join(root, 'schemas/agent.schema.json'), 'utf8')).properties);
const toolkitKeys = Object.keys(JSON.parse(await readFile(join(root, 'schemas/toolkit.schema.json'), 'utf8')).properties);

interface Block {
  line: number;
  text: string;
  keys: string[];
}

function readYamlBlocks(readme: string): Block[] {
  const blocks: Block[] = [];
  for (const match of readme.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)) {
    const line = readme.slice(0, match.index).split('\n').length + 1;
    const value = parse(match[1]!) as unknown;
    const keys = value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
    if (keys.length > 0) blocks.push({ line, text: match[1]!, keys });
  }
  return blocks;
}

const isAgent = (block: Block) => block.keys.every((key) => agentKeys.includes(key));
const isToolkit = (block: Block) => !isAgent(block) && block.keys.every((key) => toolkitKeys.includes(key));

/** An agent part gets the required keys it lacks, appended so its lines keep their README numbers. */
function completeAgent(block: Block, index: number): string {
  const missing = { name: `readme-example-${index}`, description: 'A README example.', instructions: 'Hello.' };
  const additions = Object.entries(missing).filter(([key]) => !block.keys.includes(key));
  return `${block.text}${additions.map(([key, value]) => `${key}: ${value}\n`).join('')}`;
}

describe('README yaml examples load with the real loader', () => {
  let dir: string;
  let blocks: Block[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agentllm-readme-'));
    blocks = readYamlBlocks(await readFile(join(root, 'README.md'), 'utf8'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds the annotated agent, the Jira and Drive agent configs and the acme manifest', () => {
    expect(blocks.filter(isAgent).length).toBeGreaterThanOrEqual(4);
    expect(blocks.filter((block) => isToolkit(block) && block.keys.includes('name')).map((block) => parse(block.text).name)).toContain('acme');
  });

  it('has no error', async () => {
    const manifests = blocks.filter((block) => isToolkit(block) && block.keys.includes('name'));
    const base = parse(manifests[0]!.text) as Record<string, unknown>;
    const toolkitFiles = new Map<string, Block>();
    for (const block of blocks.filter(isToolkit)) {
      const manifest = block.keys.includes('name') ? block.text : JSON.stringify({ ...base, ...parse(block.text), name: `part-${block.line}` });
      const name = String(parse(manifest).name);
      await mkdir(join(dir, 'toolkits', name), { recursive: true });
      await writeFile(join(dir, 'toolkits', name, 'toolkit.yaml'), manifest);
      await writeFile(join(dir, 'toolkits', name, 'index.ts'), 'export default {};\n');
      toolkitFiles.set(join(dir, 'toolkits', name, 'toolkit.yaml'), block);
    }
    await mkdir(join(dir, 'agents'));
    const agentFiles = new Map<string, Block>();
    for (const [index, block] of blocks.filter(isAgent).entries()) {
      await writeFile(join(dir, 'agents', `example-${index}.yaml`), completeAgent(block, index));
      agentFiles.set(join(dir, 'agents', `example-${index}.yaml`), block);
    }
    const shipped = ['jira', 'google-drive'].map((name) => join(root, 'toolkits', name));
    const report = await loadSources({ agentFiles: [...agentFiles.keys()], toolkitDirs: [...shipped, ...[...toolkitFiles.keys()].map((file) => join(file, '..'))] });
    const where = (file: string) => [...agentFiles, ...toolkitFiles].find(([path]) => path.endsWith(file))?.[1].line;
    const errors = report.errors.map((error) => `README.md:${(where(error.file) ?? 0) + error.line - 1}: ${error.message} (${error.file})`);
    expect(errors).toEqual([]);
    expect(report.agents.length).toBe(agentFiles.size);
  });
});
