import { errorAt, isRecord } from './check-schema.ts';
import type { SourceError } from './definitions.ts';
import type { SourceDocument } from './source-document.ts';

/**
 * A credential detect pattern stores what its named groups capture, by group name: a group that
 * names no credential field (`(?<tokn>...)` for a field `token`) is dropped, and when no pattern
 * captures a secret field (oauth2: the `code`) the credential can never be detected in chat.
 * Checks the parts that have the right shape, so it runs even when the schema failed.
 */
export function checkDetectGroups(source: SourceDocument, manifest: { credential?: unknown }): SourceError[] {
  const credential = manifest.credential;
  if (!isRecord(credential) || !Array.isArray(credential.detect) || credential.detect.length === 0) return [];
  const fields = credential.type === 'oauth2' ? [{ name: 'code', secret: true }] : readFields(credential.fields);
  if (fields.length === 0) return [];
  const names = fields.map((field) => field.name);
  const needed = fields.filter((field) => field.secret).map((field) => field.name);
  const errors: SourceError[] = [];
  let capturesNeeded = false;
  for (const [index, pattern] of credential.detect.entries()) {
    const groups = typeof pattern === 'string' ? readGroupNames(pattern) : undefined;
    if (!groups) continue;
    for (const group of groups.filter((name) => !names.includes(name))) {
      errors.push(errorAt(source, ['credential', 'detect', index], `credential.detect[${index}]: named group '${group}' is not a credential field (${describeFields(names)}): what it captures is never stored`));
    }
    if (groups.some((name) => needed.includes(name))) capturesNeeded = true;
  }
  if (!capturesNeeded && needed.length > 0) {
    const groupsText = needed.map((name) => `(?<${name}>...)`).join(' or ');
    errors.push(errorAt(source, ['credential', 'detect'], `no credential.detect pattern captures ${groupsText}: the credential could never be detected in chat`, 'key'));
  }
  return errors;
}

function readFields(value: unknown): Array<{ name: string; secret: boolean }> {
  if (!Array.isArray(value)) return [];
  return value.filter((field) => isRecord(field) && typeof field.name === 'string').map((field) => ({ name: String(field.name), secret: field.secret === true }));
}

/** The named groups of a valid pattern (an empty alternative makes it match '', listing every group); undefined when it does not compile. */
function readGroupNames(pattern: string): string[] | undefined {
  try {
    return Object.keys(new RegExp(`(?:${pattern})|`, 'i').exec('')?.groups ?? {});
  } catch {
    return undefined;
  }
}

function describeFields(names: string[]): string {
  return names.length === 1 ? `the field is '${names[0]}'` : `fields: ${names.join(', ')}`;
}
