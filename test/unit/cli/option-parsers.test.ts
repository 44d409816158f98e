// The numeric option parsers accept plain decimal values in range and
// refuse the rest with commander's InvalidArgumentError, naming the
// option, the value and what it must be.
import { Command, InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';

import {
  collect,
  openShare,
  portNumber,
  positiveInt,
  positiveNumber,
  refuseRepeatedOptions,
} from '../../../src/cli/option-parsers.js';

describe('positiveInt', () => {
  const parse = positiveInt('--epochs');

  it.each([
    ['1', 1],
    ['42', 42],
  ])('reads %s', (value, expected) => {
    expect(parse(value)).toBe(expected);
  });

  it.each(['abc', '', '0', '-3', '1.5', ' 5', '0x10', '1e3', '9'.repeat(20)])(
    'refuses %j',
    (value) => {
      expect(() => parse(value)).toThrow(InvalidArgumentError);
      expect(() => parse(value)).toThrow(
        `--epochs must be a positive integer, got ${JSON.stringify(value)}`,
      );
    },
  );
});

describe('positiveNumber', () => {
  const parse = positiveNumber('--margin');

  it.each([
    ['0.5', 0.5],
    ['2', 2],
    ['1e-3', 0.001],
  ])('reads %s', (value, expected) => {
    expect(parse(value)).toBe(expected);
  });

  it.each(['abc', '', '0', '-1', 'Infinity', '1e999', 'NaN'])(
    'refuses %j',
    (value) => {
      expect(() => parse(value)).toThrow(
        `--margin must be a positive number, got ${JSON.stringify(value)}`,
      );
    },
  );
});

describe('openShare', () => {
  const parse = openShare('--share');

  it('reads a share between 0 and 1', () => {
    expect(parse('0.2')).toBe(0.2);
  });

  it.each(['abc', '0', '1', '1.5', '-0.1'])('refuses %j', (value) => {
    expect(() => parse(value)).toThrow(
      `--share must be a number between 0 and 1 (exclusive), got ` +
        JSON.stringify(value),
    );
  });
});

describe('portNumber', () => {
  const parse = portNumber('--port');

  it.each([
    ['1', 1],
    ['8080', 8080],
    ['65535', 65535],
  ])('reads %s', (value, expected) => {
    expect(parse(value)).toBe(expected);
  });

  it.each(['abc', '0', '65536', '-1', '80.5'])('refuses %j', (value) => {
    expect(() => parse(value)).toThrow(
      `--port must be a port number from 1 to 65535, got ` +
        JSON.stringify(value),
    );
  });
});

describe('refuseRepeatedOptions', () => {
  /** A program with one sub-command, parsed from `args`. */
  function parse(args: string[]): Record<string, unknown> {
    const program = new Command().exitOverride();
    const run = program
      .command('run')
      .exitOverride()
      .configureOutput({ writeErr: () => undefined })
      .option('--out <dir>')
      .option('--epochs <n>', 'passes', positiveInt('--epochs'), 10)
      .option('--pairs <file>', 'files', collect)
      .option('--force');
    refuseRepeatedOptions(program);
    program.parse(['run', ...args], { from: 'user' });
    return run.opts();
  }

  it('keeps parsers, defaults and options that collect', () => {
    expect(parse([])).toEqual({ epochs: 10 });
    expect(
      parse(['--epochs', '3', '--pairs', 'a', '--pairs', 'b', '--force']),
    ).toEqual({ epochs: 3, pairs: ['a', 'b'], force: true });
    expect(() => parse(['--epochs', 'x'])).toThrow(/--epochs must be/);
  });

  it('refuses a one-value option given twice', () => {
    expect(() => parse(['--out', 'a', '--out', 'b'])).toThrow(
      '--out is given twice ("a" and "b"); give it once',
    );
    expect(() => parse(['--epochs', '10', '--epochs', '3'])).toThrow(
      '--epochs is given twice ("10" and "3")',
    );
  });
});
