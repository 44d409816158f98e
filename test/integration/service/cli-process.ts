/**
 * Runs the command line from source (`node --import tsx
 * src/cli/main.ts`), as the tests of `serve` and `import` need a real
 * process: signals, exit codes, stdout and stderr.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import { projectRoot } from '../../../src/config/paths.js';

const main = path.join(projectRoot, 'src', 'cli', 'main.ts');

/** What a finished command left behind. */
export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A started command. */
export interface Running {
  child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout: () => string;
  /** Resolves when the process ends. */
  finished: Promise<Finished>;
}

/** Starts `siamese-dedup <args>` with `env` added to the environment. */
export function startCommand(
  args: string[],
  env: Record<string, string>,
): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], {
    cwd: projectRoot,
    env: { ...process.env, PROGRESS: '0', ...env },
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));

  const finished = new Promise<Finished>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
  return {
    child,
    stdout: () => Buffer.concat(out).toString('utf8'),
    finished,
  };
}

/** Runs `siamese-dedup <args>` to the end. */
export function runCommand(
  args: string[],
  env: Record<string, string>,
): Promise<Finished> {
  return startCommand(args, env).finished;
}
