import { describe, expect, it } from 'vitest';
import { readEnvNumber, type EnvNumberRule } from '../../src/config/env-number.ts';

const WHOLE: EnvNumberRule = { unit: 'milliseconds', min: 1, fallback: 30_000 };
const read = (value: string | undefined, rule: EnvNumberRule = WHOLE) => readEnvNumber({ X_MS: value }, 'X_MS', rule);
const message = (value: string, rule: EnvNumberRule = WHOLE) => {
  try {
    read(value, rule);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`expected ${value} to be refused`);
};

describe('readEnvNumber: one reader, one message for numeric environment variables', () => {
  it('unset or blank is the default; a value is trimmed', () => {
    for (const value of [undefined, '', '  ']) expect(read(value)).toBe(30_000);
    expect(read(' 250 ')).toBe(250);
  });

  it('names the variable, what it must be, what was given and the default', () => {
    expect(message('soon')).toBe("X_MS must be a whole number of milliseconds, at least 1, got 'soon' (unset it for the default, 30000)");
    expect(message('0')).toBe("X_MS must be a whole number of milliseconds, at least 1, got '0' (unset it for the default, 30000)");
    const megabytes: EnvNumberRule = { unit: 'megabytes', min: 0, above: true, fractions: true, numberLiterals: true, fallback: 64 };
    expect(message('0', megabytes)).toBe("X_MS must be a number of megabytes, above 0, got '0' (unset it for the default, 64)");
    expect(read('0.5', megabytes)).toBe(0.5);
  });

  it('plain digits only, unless number literals are allowed', () => {
    for (const value of ['3e5', '0x10', '+5', '5.0', '-5', '1_000', '9007199254740993']) expect(message(value)).toContain(`got '${value}'`);
    const literals: EnvNumberRule = { ...WHOLE, numberLiterals: true };
    expect([read('3e5', literals), read('0x10', literals), read('+5', literals), read('5.0', literals)]).toEqual([300_000, 16, 5, 5]);
    for (const value of ['1.5', '-5', 'Infinity', '1e300']) expect(message(value, literals)).toContain(`got '${value}'`);
  });
});
