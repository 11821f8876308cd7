/**
 * Mutations of a text file as an editor, a bad merge or a broken disk would make them: cut,
 * deleted, duplicated or re-indented lines, YAML punctuation dropped in, odd unicode, raw bytes
 * that are not UTF-8. The result is bytes, written to the file as is.
 */
import fc from 'fast-check';

type Mutation =
  | { op: 'truncate'; at: number }
  | { op: 'delete'; at: number; length: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'duplicate-line'; line: number }
  | { op: 'indent-line'; line: number; by: string }
  | { op: 'raw-bytes'; at: number; bytes: Uint8Array };

/** YAML's punctuation and the constructs a loader meets least often. */
const YAML_PIECES = [
  ':', ': ', '- ', '-', '{', '}', '[', ']', ',', '&a ', '<<: ', '!!binary ', '!!js/function ', '!tag ', '? ',
  '|', '>-', '#', '"', "'", '\\', '---\n', '...\n', '%YAML 1.1\n', '%TAG ! tag:x,2000:\n', '\t', '\n', '\r', '\r\n', '  ', '~', 'null', '.nan', '0x1F',
  '9999999999999999999999', '1e400', '-.inf', '2001-12-14t21:59:43.10-05:00', 'yes', 'on', '=', '@', '`', '%',
  '{{', '}}', '{{#each x}}', '{{> partial}}', '{{{raw}}}', '{{/if}}', '__proto__: 1\n', 'constructor: {}\n', 'name: ', 'instructions: ', 'toolkits: ',
];

/** Characters that trip up text handling: BOM, NUL, controls, bidi, zero-width, combining marks, astral, lone surrogates. */
const ODD_UNICODE = ['\u{feff}', '\u0000', '\u0007', '\u001b[31m', '\u0085', '\u2028', '\u2029', '\u202e', '\u200b', '\u200d', 'e\u0301', '\u{1f600}', '\u{10ffff}', '\ud800', '\udfff', 'ǅ', 'İ', 'ß', '\u00a0', '\u3000'];

/** Aliases, among them ones to no anchor (`<<: *a` without `&a` made the loader throw: issue 13 item 4). */
const ALIAS_PIECES = ['*a', '*undefined_alias', '<<: *a', '[*a, *a]'];

const position = fc.double({ min: 0, max: 1, noNaN: true });

function mutation(pieces: string[]): fc.Arbitrary<Mutation> {
  const piece = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...pieces) },
    { weight: 2, arbitrary: fc.constantFrom(...ODD_UNICODE) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  );
  return fc.oneof(
    fc.record({ op: fc.constant('truncate' as const), at: position }),
    fc.record({ op: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 20 }) }),
    { weight: 3, arbitrary: fc.record({ op: fc.constant('insert' as const), at: position, text: piece }) },
    fc.record({ op: fc.constant('duplicate-line' as const), line: position }),
    fc.record({ op: fc.constant('indent-line' as const), line: position, by: fc.constantFrom(' ', '  ', '\t', '-') }),
    fc.record({ op: fc.constant('raw-bytes' as const), at: position, bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }) }),
  );
}

export interface MutationOptions {
  /** Most mutations per file (default 6). */
  max?: number;
  /** Insert aliases too (default true). */
  aliases?: boolean;
}

/** `base` with some mutations applied, as bytes. */
export function mutatedText(base: fc.Arbitrary<string>, options: MutationOptions = {}): fc.Arbitrary<Buffer> {
  const pieces = options.aliases === false ? YAML_PIECES : [...YAML_PIECES, ...ALIAS_PIECES];
  return fc.tuple(base, fc.array(mutation(pieces), { maxLength: options.max ?? 6 })).map(([text, mutations]) => mutations.reduce(applyMutation, Buffer.from(text)));
}

function applyMutation(bytes: Buffer, mutation: Mutation): Buffer {
  const at = 'at' in mutation ? Math.floor(bytes.length * mutation.at) : 0;
  switch (mutation.op) {
    case 'truncate':
      return bytes.subarray(0, at);
    case 'delete':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + mutation.length)]);
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(mutation.text), bytes.subarray(at)]);
    case 'raw-bytes':
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(mutation.bytes), bytes.subarray(at)]);
    default:
      return mutateLine(bytes, mutation);
  }
}

function mutateLine(bytes: Buffer, mutation: Extract<Mutation, { line: number }>): Buffer {
  const lines = bytes.toString('latin1').split('\n');
  const index = Math.min(lines.length - 1, Math.floor(lines.length * mutation.line));
  if (mutation.op === 'duplicate-line') lines.splice(index, 0, lines[index]!);
  else lines[index] = `${mutation.by}${lines[index]}`;
  return Buffer.from(lines.join('\n'), 'latin1');
}
