/**
 * Chooses the tfjs backend: the native TensorFlow binding when
 * `@tensorflow/tfjs-node` is installed, else WebAssembly (with faster
 * kernels, see wasm-kernels.ts), else plain JavaScript.
 */
import { createRequire } from 'node:module';

import * as tf from '@tensorflow/tfjs';

import type { Logger } from '../logging/logger.js';
import { installFastWasmKernels } from './wasm-kernels.js';

/** Backend names this service knows. `auto` picks the fastest present. */
export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

let ready: Promise<string> | undefined;

/**
 * Initialises tfjs once per process and resolves to the backend's name.
 * Later calls return the first call's result whatever they ask for.
 */
export function initBackend(
  choice: BackendChoice = 'auto',
  log?: Logger,
): Promise<string> {
  ready ??= select(choice, log);
  return ready;
}

async function select(choice: BackendChoice, log?: Logger): Promise<string> {
  const order: BackendChoice[] =
    choice === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [choice];

  for (const name of order) {
    try {
      if (name === 'tensorflow' && !(await loadNative())) continue;
      if (name === 'wasm') await loadWasm();
      if (await tf.setBackend(name)) {
        await tf.ready();
        log?.info({ backend: name }, 'tfjs backend selected');
        return name;
      }
    } catch (err) {
      log?.warn({ backend: name, err }, 'tfjs backend unavailable');
    }
  }
  throw new Error(`no tfjs backend could start (asked for ${choice})`);
}

async function loadNative(): Promise<boolean> {
  const require = createRequire(import.meta.url);
  try {
    require.resolve('@tensorflow/tfjs-node');
  } catch {
    return false;
  }
  // The native binding registers itself with the tfjs it finds; it is
  // optional, so it is imported by a name the compiler does not check.
  const name = '@tensorflow/tfjs-node';
  await import(name);
  return true;
}

async function loadWasm(): Promise<void> {
  await import('@tensorflow/tfjs-backend-wasm');
  installFastWasmKernels();
}
