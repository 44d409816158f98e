// Bad values of numeric flags, and a one-value flag given twice, end the
// command with exit code 1 and one line naming the flag, the value and
// what it must be; never a stack trace, and never after the command has
// started on what it was given.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { ensureBuilt, runCli, tempDir, type TempDir } from './cli.js';

let temp: TempDir;

beforeAll(() => {
  ensureBuilt();
});

beforeEach(async () => {
  temp = await tempDir();
});

afterEach(async () => {
  await temp.cleanup();
});

const TRAIN = ['train', '--pairs', 'p.tsv', '--val', 'v.tsv', '--out', 'm'];
const SPLIT = ['split', '--pairs', 'p.tsv', '--train', 't.tsv', '--val', 'v'];
const SHARE = '--share must be a number between 0 and 1 (exclusive)';
const PORT = '--port must be a port number from 1 to 65535';

/** [command line, the message expected on stderr]. */
const CASES: [string[], string][] = [
  [['keys', 'revoke', 'abc'], '<id> must be a positive integer, got "abc"'],
  [
    [...TRAIN, '--epochs', 'abc'],
    '--epochs must be a positive integer, got "abc"',
  ],
  [
    [...TRAIN, '--margin', '-1'],
    '--margin must be a positive number, got "-1"',
  ],
  [['serve', '--port', 'abc'], `${PORT}, got "abc"`],
  [['serve', '--port', '70000'], `${PORT}, got "70000"`],
  [[...SPLIT, '--share', 'abc'], `${SHARE}, got "abc"`],
  [[...SPLIT, '--share', '1.5'], `${SHARE}, got "1.5"`],
  [[...SPLIT, '--seed', '-3'], '--seed must be a positive integer, got "-3"'],
  [
    ['simulate-review', '--budget', '0'],
    '--budget must be a positive integer, got "0"',
  ],
  [
    ['eval', '--pairs', 'a.tsv', '--pairs', 'b.tsv'],
    '--pairs is given twice ("a.tsv" and "b.tsv"); give it once',
  ],
  [
    ['import', '--items', 'a.tsv', '--items', 'b.tsv'],
    '--items is given twice ("a.tsv" and "b.tsv"); give it once',
  ],
  [
    [...TRAIN, '--out', 'n'],
    '--out is given twice ("m" and "n"); give it once',
  ],
  [
    [...TRAIN, '--epochs', '5', '--epochs', '7'],
    '--epochs is given twice ("5" and "7"); give it once',
  ],
  [
    ['keys', 'create', '--role', 'client', '--role', 'admin'],
    '--role is given twice ("client" and "admin"); give it once',
  ],
];

describe('bad flag values', () => {
  it.each(CASES)('%j refuses: %s', async (args, message) => {
    const result = await runCli(args, '', { DATA_DIR: temp.dir });

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^error: .* is invalid\b/);
    expect(lines[0]).toContain(message);
    expect(result.stderr).not.toContain('unexpected error');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('(add --help for usage)');
  });
});
