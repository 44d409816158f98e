/**
 * Starts the load-generating child process (load-client.ts) and hands
 * back its result. The child is a separate Node process, so autocannon
 * and the server under test each have an event loop (and on a
 * two-core machine, roughly a core) of their own.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  STOP,
  type ChildMessage,
  type LoadResult,
  type LoadSpec,
} from './load-protocol.js';

const here = fileURLToPath(import.meta.url);
const extension = path.extname(here);
const CLIENT = path.join(path.dirname(here), `load-client${extension}`);

/** A running load. */
export interface RunningLoad {
  /** Resolves once autocannon has connected and started. */
  started: Promise<void>;
  /** Resolves with the result when the run ends or is stopped. */
  done: Promise<LoadResult>;
  /** Ends the run early; `done` then resolves. */
  stop(): void;
}

/** Starts `spec` in a child process. */
export function startLoad(spec: LoadSpec): RunningLoad {
  const child = fork(CLIENT, [], {
    // From TypeScript sources (tests, tsx) the child needs the loader.
    execArgv: extension === '.ts' ? ['--import', 'tsx'] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let onStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (onStarted = resolve));

  const done = new Promise<LoadResult>((resolve, reject) => {
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'started') onStarted();
      else if (message.type === 'done') resolve(message.result);
      else reject(new Error(`load client: ${message.message}`));
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      onStarted();
      reject(new Error(`load client exited with code ${code} before a result`));
    });
  });
  child.send(spec);

  return {
    started,
    done,
    stop: () => {
      if (child.connected) child.send(STOP);
    },
  };
}

/** Runs `spec` to its end and returns the result. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return startLoad(spec).done;
}
