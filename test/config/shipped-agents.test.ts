import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadDefinitions } from '../../src/config/load-definitions.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('shipped agents', () => {
  it('every agent in agents/ and every toolkit in toolkits/ validates', async () => {
    const result = await loadDefinitions({ agentsDir: `${root}agents`, toolkitsDir: `${root}toolkits` });
    expect(result.errors).toEqual([]);
    const files = (await readdir(`${root}agents`)).filter((f) => /\.ya?ml$/.test(f));
    expect(result.agents).toHaveLength(files.length);
    expect(result.agents.map((a) => a.name)).toEqual(expect.arrayContaining(['assistant', 'release-manager', 'sprint-reviewer']));
  });

  it('each shipped agent starts with the yaml-language-server schema comment', async () => {
    const files = (await readdir(`${root}agents`)).filter((f) => /\.ya?ml$/.test(f));
    for (const file of files) {
      const text = await readFile(`${root}agents/${file}`, 'utf8');
      expect(text.split('\n')[0], file).toBe('# yaml-language-server: $schema=../schemas/agent.schema.json');
    }
  });
});
