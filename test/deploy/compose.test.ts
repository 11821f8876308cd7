import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** The shipped compose.yaml, Dockerfile and .dockerignore, read as Docker would read them. */
const root = join(import.meta.dirname, '../..');
const read = (name: string): string => readFileSync(join(root, name), 'utf8');

interface Service {
  build?: unknown;
  image?: string;
  env_file?: Array<string | { path: string; required?: boolean }>;
  environment?: Record<string, string> | string[];
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] | string };
  stop_grace_period?: string;
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(read('compose.yaml')) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const agentllm = compose.services.agentllm!;
const webui = compose.services['open-webui']!;

function envOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (!Array.isArray(env)) return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, String(value)]));
  return Object.fromEntries(env.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

/** `${NAME:?message}` / `${NAME:-default}` / `${NAME}` -> NAME. */
function interpolatedName(value: string | undefined): string | undefined {
  return /^\$\{([A-Z_][A-Z0-9_]*)(?:[:?-][^}]*)?\}$/.exec(value ?? '')?.[1];
}

/** Dockerfile instructions, continuation lines joined. */
function dockerfileInstructions(text: string): Array<{ keyword: string; args: string }> {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

/** Bare package names imported (not `import type`) by the .ts files under `dir`. */
function importedPackages(dir: string): string[] {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
  const names = files.flatMap((file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const specifiers = [...text.matchAll(/^\s*import\s+(?!type\s)[^'"]*?['"]([^'"]+)['"]/gm), ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)];
    return specifiers.map((match) => match[1]!);
  });
  return names
    .filter((name) => !name.startsWith('.') && !name.startsWith('node:') && !builtinModules.includes(name))
    .map((name) => (name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]!));
}

/**
 * The Compose Specification's JSON schema (compose-spec/compose-spec, schema/compose-spec.json), as
 * the dclint package (a devDependency) ships it: no download at test time.
 */
function composeSpecValidator() {
  const packageJson = createRequire(import.meta.url).resolve('dclint/package.json');
  const { $schema: _draft07, ...schema } = JSON.parse(readFileSync(join(dirname(packageJson), 'schemas', 'compose.schema.json'), 'utf8')) as Record<string, unknown>;
  return new Ajv.default({ strict: false, allErrors: true }).compile(schema);
}

describe('compose.yaml against the Compose Specification schema', () => {
  const validate = composeSpecValidator();

  it('is a valid Compose file', () => {
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema catches a wrong key (so the check above can fail)', () => {
    const broken = { ...compose, services: { ...compose.services, agentllm: { ...agentllm, env_file: [{ path: '.env', optional: true }] } } };
    expect(validate(broken)).toBe(false);
  });

  it('every ${VARIABLE} it interpolates is documented in .env.example', () => {
    const example = read('.env.example');
    const names = [...read('compose.yaml').matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((match) => match[1]!);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !new RegExp(`^(?:# )?${name}=`, 'm').test(example))).toEqual([]);
  });
});

describe('compose.yaml', () => {
  it('builds agentllm from this folder and publishes port 8000 (the port it listens on)', () => {
    expect(agentllm.build).toBe('.');
    expect(agentllm.ports).toContain('8000:8000');
    expect(envOf(agentllm).PORT).toBe('8000');
    expect(envOf(agentllm).HOST).toBe('0.0.0.0');
  });

  it('loads an optional .env into agentllm and requires the Gemini and API keys', () => {
    expect(agentllm.env_file).toContainEqual({ path: '.env', required: false });
    expect(interpolatedName(envOf(agentllm).GEMINI_API_KEY)).toBe('GEMINI_API_KEY');
    expect(envOf(agentllm).AGENTLLM_API_KEY).toMatch(/^\$\{AGENTLLM_API_KEY:\?.+\}$/);
    expect(envOf(agentllm).AGENTLLM_PUBLIC_URL).toContain('http://localhost:8000');
  });

  it('gives agentllm longer to stop than its stream grace period (10 s by default)', () => {
    const seconds = Number(/^(\d+)s$/.exec(agentllm.stop_grace_period ?? '')?.[1]);
    const graceMs = Number(envOf(agentllm).AGENTLLM_SHUTDOWN_GRACE_MS ?? 10_000);
    expect(seconds * 1000).toBeGreaterThan(graceMs);
  });

  it('health-checks agentllm on /health of the container port', () => {
    const test = agentllm.healthcheck?.test;
    expect(Array.isArray(test)).toBe(true);
    expect((test as string[])[0]).toBe('CMD');
    expect((test as string[]).join(' ')).toContain('http://127.0.0.1:8000/health');
  });

  it('keeps agentllm data on a declared named volume and mounts agents/ read-only with watch on', () => {
    const dataVolume = agentllm.volumes?.find((volume) => volume.split(':')[1] === envOf(agentllm).AGENTLLM_DATA_DIR);
    expect(dataVolume).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(dataVolume!.split(':')[0]);
    expect(agentllm.volumes).toContain(`./agents:${envOf(agentllm).AGENTLLM_AGENTS_DIR}:ro`);
    expect(envOf(agentllm).AGENTLLM_WATCH).toBe('1');
  });

  it('points Open WebUI at the agentllm service /v1 with the same API key', () => {
    const env = envOf(webui);
    const baseUrl = new URL(env.OPENAI_API_BASE_URL ?? env.OPENAI_API_BASE_URLS ?? '');
    expect(baseUrl.hostname).toBe('agentllm');
    expect(baseUrl.port).toBe(agentllm.ports![0]!.split(':').at(-1));
    expect(baseUrl.pathname).toBe('/v1');
    const webuiKey = env.OPENAI_API_KEY ?? env.OPENAI_API_KEYS;
    expect(interpolatedName(webuiKey)).toBe('AGENTLLM_API_KEY');
    expect(interpolatedName(envOf(agentllm).AGENTLLM_API_KEY)).toBe('AGENTLLM_API_KEY');
  });

  it('forwards Open WebUI user info, turns Ollama off, and waits for agentllm to be healthy', () => {
    const env = envOf(webui);
    expect(env.ENABLE_FORWARD_USER_INFO_HEADERS).toBe('true');
    expect(env.ENABLE_OLLAMA_API).toBe('false');
    expect(env.WEBUI_AUTH).toBe('true');
    expect(webui.image).toBe('ghcr.io/open-webui/open-webui:main');
    expect(webui.ports).toContain('3000:8080');
    expect(webui.depends_on?.agentllm?.condition).toBe('service_healthy');
    const dataVolume = webui.volumes?.find((volume) => volume.endsWith(':/app/backend/data'));
    expect(Object.keys(compose.volumes ?? {})).toContain(dataVolume?.split(':')[0]);
  });
});

describe('Dockerfile', () => {
  const instructions = dockerfileInstructions(read('Dockerfile'));
  const all = (keyword: string): string[] => instructions.filter((entry) => entry.keyword === keyword).map((entry) => entry.args);
  const last = (keyword: string): string | undefined => all(keyword).at(-1);

  it('starts from Node 24 (the active LTS) and installs production dependencies only, from the lock file', () => {
    expect(all('FROM')[0]).toMatch(/^node:24(-slim|-alpine)?\b/);
    expect(all('RUN').some((run) => /\bnpm ci\b.*--omit=dev/.test(run))).toBe(true);
    expect(all('COPY').some((copy) => copy.includes('package-lock.json'))).toBe(true);
  });

  it('copies everything serve loads at run time', () => {
    const copied = all('COPY').join(' ');
    for (const folder of ['bin/', 'src/', 'schemas/', 'toolkits/', 'agents/']) expect(copied).toContain(folder);
  });

  it('runs as the unprivileged node user, with /app/data as a volume it owns', () => {
    expect(last('USER')).toBe('node');
    expect(all('VOLUME').join(' ')).toContain('/app/data');
    expect(all('RUN').some((run) => /chown\s+node:node\s+\/app\/data/.test(run))).toBe(true);
    const userIndex = instructions.findIndex((entry) => entry.keyword === 'USER');
    const cmdIndex = instructions.findIndex((entry) => entry.keyword === 'CMD');
    expect(userIndex).toBeLessThan(cmdIndex);
  });

  it('exposes the port the server listens on and health-checks /health without curl', () => {
    expect(all('EXPOSE')).toEqual(['8000']);
    expect(all('ENV').join(' ')).toMatch(/\bPORT=8000\b/);
    expect(all('ENV').join(' ')).toMatch(/\bHOST=0\.0\.0\.0\b/);
    expect(all('ENV').join(' ')).toMatch(/\bNODE_ENV=production\b/);
    const healthcheck = last('HEALTHCHECK') ?? '';
    expect(healthcheck).toMatch(/CMD \["node", "-e", /);
    expect(healthcheck).toContain("'http://127.0.0.1:' + (process.env.PORT || 8000) + '/health'");
  });

  it('runs `serve` through bin/agentllm.js in exec form, so SIGTERM reaches node', () => {
    expect(JSON.parse(last('CMD') ?? 'null')).toEqual(['node', 'bin/agentllm.js', 'serve']);
    expect(existsSync(join(root, 'bin/agentllm.js'))).toBe(true);
  });

  it('needs no dev dependency at run time: tsx and every package src/ and toolkits/ import are dependencies', () => {
    const manifest = JSON.parse(read('package.json')) as { name: string; dependencies: Record<string, string>; exports: Record<string, string> };
    const imported = new Set(['tsx', ...importedPackages(join(root, 'src')), ...importedPackages(join(root, 'toolkits'))]);
    // The package's own name (the toolkits' `agentllm/toolkit`) resolves to itself through "exports", which the image has with package.json.
    const missing = [...imported].filter((name) => name !== manifest.name && !(name in manifest.dependencies));
    expect(missing).toEqual([]);
    expect(Object.keys(manifest.exports)).toContain('./toolkit');
  });
});

describe('.dockerignore', () => {
  const patterns = read('.dockerignore').split(/\r?\n/).map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));

  it('keeps installed modules, secrets, local data and tests out of the image', () => {
    for (const pattern of ['node_modules', '.env', 'data', '.git', 'test', 'bench']) expect(patterns).toContain(pattern);
  });
});
