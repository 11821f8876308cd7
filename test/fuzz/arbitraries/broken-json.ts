/**
 * Text that is not a Gemini response: JSON cut short, random bytes, JSON followed by garbage, and
 * JSON of the wrong shape or with wrong types. Each one shrinks towards a short, readable case.
 */
import fc from 'fast-check';

/** A valid JSON document cut at a byte before its end (never the whole of it). */
export function truncatedJson(json: string): fc.Arbitrary<string> {
  return fc.nat({ max: Math.max(0, json.length - 1) }).map((cut) => json.slice(0, cut));
}

/** Bytes that no JSON parser accepts as a whole document (a first byte that cannot start JSON). */
export const randomBytes: fc.Arbitrary<Buffer> = fc
  .tuple(fc.constantFrom(0x00, 0x07, 0x23, 0x3c, 0x7e, 0x80, 0xc3, 0xfe, 0xff), fc.uint8Array({ maxLength: 300 }))
  .map(([first, rest]) => Buffer.concat([Buffer.of(first), Buffer.from(rest)]));

/** Non-JSON that looks almost right: `{not json`, a lone brace, words, odd unicode. */
export const almostJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('{not json', '{', '}', '[', '{"candidates":', '{"candidates":[{"content":', 'undefined', 'NaN', "{'a': 1}", '{"a":1,}', '\u{feff}{}', '{"text": "\ud800"'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((text) => !isJson(text)),
);

/** `json` followed by something that is not whitespace: a parser must refuse the whole. */
export function jsonWithGarbage(json: string): fc.Arbitrary<string> {
  return fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 20 }).filter((tail) => tail.trim() !== '').map((tail) => `${json}${tail}`);
}

/** Well-formed JSON that carries no answer: no candidates, an empty list, nothing usable. */
export const noAnswerJson: fc.Arbitrary<string> = fc.constantFrom(
  '{}',
  '{"candidates":[]}',
  '{"usageMetadata":{"promptTokenCount":3,"totalTokenCount":3}}',
  '{"modelVersion":"gemini-2.5-flash","responseId":"x"}',
  '{"candidates":null}',
);

/** Well-formed JSON where Gemini's fields have the wrong types (a proxy rewrote them, a version skew). */
export const wrongTypesJson: fc.Arbitrary<string> = fc.constantFrom(
  'null', '[]', '42', '"text"', 'true',
  '{"candidates":"x"}', '{"candidates":7}', '{"candidates":{"0":{}}}', '{"candidates":[null]}', '{"candidates":[7]}',
  '{"candidates":[{"content":"x"}]}', '{"candidates":[{"content":{"parts":"x"}}]}', '{"candidates":[{"content":{"parts":[null]}}]}',
  '{"candidates":[{"content":{"parts":[{"text":42}]}}]}', '{"candidates":[{"content":{"parts":[{"functionCall":"x"}]}}]}',
  '{"candidates":[{"content":{"parts":[{"functionCall":{"name":7,"args":"x"}}]}}]}', '{"promptFeedback":"x"}',
);

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
