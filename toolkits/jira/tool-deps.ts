import type { JiraApi } from './jira-api.ts';
import type { JiraSettings } from './settings.ts';

/** What every Jira tool gets: the agent's settings and a way to open a connection for one call. */
export interface JiraToolDeps {
  settings: JiraSettings;
  connect(signal: AbortSignal): Promise<JiraApi>;
}

export function readString(args: Record<string, unknown>, name: string): string | undefined {
  const value = args[name];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

export function requireString(args: Record<string, unknown>, name: string): string {
  const value = readString(args, name);
  if (!value) throw new Error(`Missing required argument "${name}".`);
  return value;
}

export function readStrings(args: Record<string, unknown>, name: string): string[] {
  const value = args[name];
  if (typeof value === 'string') return value.split(',').map((part) => part.trim()).filter(Boolean);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.trim() !== '') : [];
}

export function readLimit(args: Record<string, unknown>, fallback: number, max: number): number {
  const value = Number(args.limit);
  return Number.isInteger(value) && value > 0 ? Math.min(value, max) : Math.min(fallback, max);
}

/** The project a tool works on: the argument, or the agent's only/first configured project. */
export function resolveProject(args: Record<string, unknown>, deps: JiraToolDeps): string {
  const project = readString(args, 'project') ?? deps.settings.projectKeys[0];
  if (!project) throw new Error('Missing "project": give a project key (e.g. "ABC").');
  return project.toUpperCase();
}
