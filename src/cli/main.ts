import { readFileSync } from 'node:fs';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultIO, runValidate } from './validate.ts';
import type { CliIO } from './validate.ts';

export const HELP = `agentllm: turn YAML files into LLM agents served on an OpenAI-compatible API.

Usage: agentllm <command> [options]

Commands:
  serve                 Start the API server (agents/ and toolkits/ of the working directory)
  validate [paths...]   Check agent files and toolkit manifests [--format text|json|github]
  new <name>            Create agents/<name>.yaml (--toolkit: toolkits/<name>/ instead)
  help [command]        Show this help, or a command's own

Options:
  -h, --help            Show help (also: agentllm <command> --help)
  -v, --version         Show the version`;

type Command = (argv: string[], io: CliIO) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  validate: runValidate,
  serve: runServeCommand,
  new: runNewCommand,
  help: runHelp,
};

/** `agentllm help [command]`: the general help, or that command's own (as `<command> --help`). */
async function runHelp(argv: string[], io: CliIO): Promise<number> {
  const [topic] = argv;
  if (topic === undefined || topic === 'help') {
    io.stdout(`${HELP}\n`);
    return 0;
  }
  const run = COMMANDS[topic];
  if (!run) {
    io.stderr(`agentllm help: unknown command '${topic}'\n\n${HELP}\n`);
    return 2;
  }
  return run(['--help'], io);
}

/** Dispatches `agentllm <command> ...`; returns the exit code (a running server keeps the process alive). */
export async function main(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') return COMMANDS.help!(rest, io);
  if (command === '--version' || command === '-v') {
    io.stdout(`${readVersion()}\n`);
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.stderr(`agentllm: unknown command '${command}'\n\n${HELP}\n`);
    return 2;
  }
  return run(rest, io);
}

/** serve pulls in the whole server: imported lazily so the other commands start fast. */
async function runServeCommand(argv: string[], io: CliIO): Promise<number> {
  const { runServe } = await import('./serve.ts');
  return runServe(argv, io);
}

async function runNewCommand(argv: string[], io: CliIO): Promise<number> {
  const { runNew } = await import('./new.ts');
  return runNew(argv, io);
}

function readVersion(): string {
  const path = fileURLToPath(new URL('../../package.json', import.meta.url));
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
