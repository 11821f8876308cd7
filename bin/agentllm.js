#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx agentllm` works without a build step. Both of tsx's
// hooks are installed, as `node --import tsx` does: the ESM one for this package (and toolkits in a
// "type": "module" project), the CommonJS one for a toolkit's index.ts in a project without it.
import { register as registerCommonJs } from 'tsx/cjs/api';
import { register as registerEsm } from 'tsx/esm/api';

registerEsm();
registerCommonJs();
const { main } = await import('../src/cli/main.ts');
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(`agentllm: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
