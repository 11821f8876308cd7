// Every chat message goes through the shipped manifests' detect / features / revoke regexes, so a
// long message (a pasted log, a base64 blob) must not make any of them backtrack for seconds.
// Prints the worst time per adversarial 100 KB input next to a plain 100 KB message.
// Run alone: `npx tsx bench/message-matching.bench.ts`.
import { fileURLToPath } from 'node:url';
import { loadDefinitions } from '../src/config/load-definitions.ts';
import { asksForFeatures, asksToRevoke, detectCredential } from '../src/toolkit/index.ts';
import { line, ratio } from './measure.ts';

const SIZE = 100_000;
const GOAL_MS = 50;
const ADVERSARIAL: Record<string, string> = {
  'plain prose (baseline)': 'The release train leaves on Friday; please check the open bugs. '.repeat(SIZE / 64),
  letters: 'a'.repeat(SIZE),
  digits: '1'.repeat(SIZE),
  spaces: ' '.repeat(SIZE),
  ats: '@'.repeat(SIZE),
  'letters and dots': 'a.'.repeat(SIZE / 2),
  'letters and hyphens after an @': `a@${'a-'.repeat(SIZE / 2)}`,
  'base64 blob': 'QUJDRGVmZ2hpams0NTY3OA+/'.repeat(SIZE / 24),
  'repeated phrase': 'my jira token is '.repeat(SIZE / 17),
  'repeated email': 'me@acme.com '.repeat(SIZE / 12),
  'jira login then a long local part': `jira login a@${'a'.repeat(SIZE)}`,
  'token prefix then letters': `ATATT3${'a'.repeat(SIZE)}`,
  'token then spaces': `jira token aaaaaaaaaaaaaaaa1${' '.repeat(SIZE)}x`,
  'google code prefix': '4/'.repeat(SIZE / 2),
  'forget jira, repeated': 'forget jira '.repeat(SIZE / 12),
};
const RUNS = 3;

export async function benchMessageMatching(): Promise<void> {
  const { toolkits } = await loadDefinitions({ agentsDir: 'agents', toolkitsDir: 'toolkits' });
  console.log(`message matching: detect + features + revoke of ${toolkits.map((t) => t.name).join(', ')} on ${SIZE / 1000} KB messages (best of ${RUNS})`);
  let baseline = NaN;
  let worst = 0;
  for (const [name, text] of Object.entries(ADVERSARIAL)) {
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      for (const toolkit of toolkits) {
        detectCredential(toolkit, text);
        asksForFeatures(toolkit, text);
        asksToRevoke(toolkit, text);
      }
      times.push(performance.now() - started);
    }
    const ms = Math.min(...times);
    if (Number.isNaN(baseline)) baseline = ms;
    worst = Math.max(worst, ms);
    line(name, `${ms.toFixed(2)} ms`, `${ratio(ms, baseline)} baseline`);
  }
  line('worst input', `${worst.toFixed(2)} ms`, `goal < ${GOAL_MS} ms: ${worst < GOAL_MS ? 'met' : 'MISSED'}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchMessageMatching();
