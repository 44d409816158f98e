// Runs the built command line (`node dist/cli/main.js`) as a user would,
// with helpers for temporary folders and slices of the shared data.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../..',
);

/** The public data sets beside the checkout. */
export const sharedDataDir = path.resolve(repoRoot, '..', 'shared', 'data');

const mainJs = path.join(repoRoot, 'dist', 'cli', 'main.js');

/** Newest modification time of any file under `dir`. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const time = entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs;
    latest = Math.max(latest, time);
  }
  return latest;
}

/**
 * Compiles src/ into dist/ unless dist/cli/main.js is newer than every
 * source file (as after `npm test`, which builds first). tsc still writes
 * its output when some file fails to type-check; such errors belong to
 * the type check, not here, so they are printed and the run goes on as
 * long as the entry point was written.
 */
export function ensureBuilt(): void {
  const built = fs.existsSync(mainJs) ? fs.statSync(mainJs).mtimeMs : 0;
  if (built > newest(path.join(repoRoot, 'src'))) return;

  const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(
    process.execPath,
    [tsc, '-p', 'tsconfig.build.json'],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  if (!fs.existsSync(mainJs)) {
    throw new Error(`build failed:\n${result.stdout}${result.stderr}`);
  }
  if (result.status !== 0) {
    console.warn(
      `tsc reported errors; testing what it wrote:\n${result.stdout}`,
    );
  }
}

/** What a finished command left behind. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `siamese-dedup <args>` with `input` (text or bytes) on stdin and
 * `env` added to the environment.
 */
export function runCli(
  args: string[],
  input: string | Uint8Array = '',
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [mainJs, ...args], {
      cwd: repoRoot,
      env: { ...process.env, LOG_LEVEL: 'warn', PROGRESS: '0', ...env },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    child.stdin.on('error', () => {
      // The command may exit before reading all of stdin; its exit code
      // and output tell what happened.
    });
    child.stdin.end(input);
  });
}

/** A fresh temporary folder per test file or test. */
export interface TempDir {
  dir: string;
  /** Writes `content` to `name` in the folder; returns its path. */
  write(name: string, content: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function tempDir(): Promise<TempDir> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'siamese-cli-'));
  return {
    dir,
    async write(name, content) {
      const file = path.join(dir, name);
      await writeFile(file, content);
      return file;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Header and data lines of a shared data file (relative path). */
export function dataLines(file: string): { header: string; rows: string[] } {
  const text = fs.readFileSync(path.join(sharedDataDir, file), 'utf8');
  const [header, ...rows] = text.split('\n').filter((line) => line !== '');
  return { header: header as string, rows };
}

/** The header and rows `from..from+count` of a shared data file. */
export function dataSlice(file: string, count: number, from = 0): string {
  const { header, rows } = dataLines(file);
  return [header, ...rows.slice(from, from + count), ''].join('\n');
}

/** Trains a tiny model on 300 + 300 real Quora pairs into `out`. */
export function trainTiny(
  out: string,
  extra: string[] = [],
): Promise<CliResult> {
  return runCli([
    'train',
    '--pairs',
    path.join(sharedDataDir, 'quora/dev.tsv'),
    '--val',
    path.join(sharedDataDir, 'quora/test-a.tsv'),
    '--limit',
    '300',
    '--skip-invalid',
    '--epochs',
    '1',
    '--units',
    '8',
    '--projection',
    '8',
    '--out',
    out,
    ...extra,
  ]);
}

/** Euclidean distance of two equally long vectors. */
export function distance(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  a.forEach((x, i) => {
    sum += (x - (b[i] ?? NaN)) ** 2;
  });
  return Math.sqrt(sum);
}
