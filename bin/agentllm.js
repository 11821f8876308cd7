#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx agentllm` works without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(`agentllm: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
