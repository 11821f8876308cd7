/**
 * Files written to hurt a YAML loader: alias bombs ("billion laughs"), deep nesting, huge files,
 * binary files, text in odd encodings. Each is a whole file's bytes.
 */
import fc from 'fast-check';

/** Alias bombs: each level refers to the one before several times, so the expanded value doubles (or more) per level. */
export const aliasBomb: fc.Arbitrary<Buffer> = fc
  .record({
    levels: fc.integer({ min: 8, max: 30 }),
    fanOut: fc.integer({ min: 2, max: 10 }),
    at: fc.constantFrom('root', 'description', 'instructions', 'toolkits', 'merge'),
  })
  .map(({ levels, fanOut, at }) => {
    const lines = ['a0: &a0 ["lol"]'];
    for (let level = 1; level <= levels; level++) {
      lines.push(`a${level}: &a${level} [${Array.from({ length: fanOut }, () => `*a${level - 1}`).join(', ')}]`);
    }
    const top = `*a${levels}`;
    const use = {
      root: `name: bomb\ndescription: d\ninstructions: i\nextra: ${top}`,
      description: `name: bomb\ndescription: ${top}\ninstructions: i`,
      instructions: `name: bomb\ndescription: d\ninstructions: ${top}`,
      toolkits: `name: bomb\ndescription: d\ninstructions: i\ntoolkits: { required: ${top} }`,
      merge: `name: bomb\ndescription: d\ninstructions: i\nmodel: { <<: *a${levels} }`,
    }[at];
    return Buffer.from(`${lines.join('\n')}\n${use}\n`);
  });

/** Nesting thousands of levels deep, in flow or block style. */
export const deepNesting: fc.Arbitrary<Buffer> = fc
  .record({ depth: fc.integer({ min: 500, max: 20_000 }), style: fc.constantFrom('flow-seq', 'flow-map', 'block') })
  .map(({ depth, style }) => {
    if (style === 'flow-seq') return Buffer.from(`name: deep\ndescription: d\ninstructions: i\nx: ${'['.repeat(depth)}${']'.repeat(depth)}\n`);
    if (style === 'flow-map') return Buffer.from(`name: deep\ndescription: d\ninstructions: i\nx: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n`);
    const levels = Math.min(depth, 3_000);
    return Buffer.from(`name: deep\ndescription: d\ninstructions: i\n${Array.from({ length: levels }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} 1\n`);
  });

/** Binary files: random bytes, a PNG header, a gzip header, UTF-16 and UTF-32 text with a BOM, NULs. */
export const binaryFile: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 2_000 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')),
  fc.constant(Buffer.from('1f8b0800000000000003', 'hex')),
  fc.constant(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name: utf16\ndescription: d\ninstructions: i\n', 'utf16le')])),
  fc.constant(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('name: utf16\n', 'utf16le').swap16()])),
  fc.constant(Buffer.from('name: nul\u0000\ndescription: d\ninstructions: i\n')),
  fc.constant(Buffer.alloc(4096)),
);

/** A file of 2 to `maxMegabytes` MB that is valid YAML of a valid agent (padded with comments, a long string or a long block). */
export function hugeAgentFile(maxMegabytes: number): fc.Arbitrary<Buffer> {
  return fc.tuple(fc.integer({ min: 2, max: maxMegabytes }), fc.constantFrom('comments', 'long-description', 'many-lines')).map(([megabytes, padding]) => {
    const size = megabytes * 1024 * 1024;
    const head = 'name: huge\ndescription: A huge agent file.\ninstructions: You are huge.\n';
    if (padding === 'comments') return Buffer.from(head + '# padding padding padding padding padding padding padding padding\n'.repeat(Math.ceil(size / 66)));
    if (padding === 'long-description') return Buffer.from(`name: huge\ninstructions: You are huge.\ndescription: ${'x'.repeat(size)}\n`);
    return Buffer.from(`name: huge\ndescription: A huge agent file.\ninstructions: |\n${'  a line of text in a block scalar\n'.repeat(Math.ceil(size / 36))}`);
  });
}

/** A merge key (`<<`) naming an anchor that does not exist, at the top or nested. */
export const unresolvedMerge: fc.Arbitrary<Buffer> = fc
  .record({ at: fc.constantFrom('root', 'model', 'toolkit-ref'), anchor: fc.stringMatching(/^[a-z]{1,8}$/) })
  .map(({ at, anchor }) => {
    const head = 'name: merge\ndescription: d\ninstructions: i\n';
    if (at === 'root') return Buffer.from(`<<: *${anchor}\n${head}`);
    if (at === 'model') return Buffer.from(`${head}model:\n  <<: *${anchor}\n`);
    return Buffer.from(`${head}toolkits:\n  optional:\n    - { <<: *${anchor}, name: tracker }\n`);
  });

/** What issue 13 item 4 is about: alias bombs and aliases to nowhere. */
export const aliasAttack: fc.Arbitrary<Buffer> = fc.oneof(aliasBomb, unresolvedMerge);
