/**
 * Describes the machine a benchmark ran on: CPU, cores, clock, SIMD
 * extensions, Node and tfjs versions and the load other processes put on
 * it, so that a number in BENCHMARKS.md can be judged later.
 */
import fs from 'node:fs';
import os from 'node:os';

import * as tf from '@tensorflow/tfjs';

/** The machine and software a run measured. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  /** Nominal clock in MHz; 0 when unknown. */
  mhz: number;
  /** Vector extensions the CPU reports (Linux only), e.g. avx2. */
  simd: string[];
  node: string;
  tfjs: string;
}

const SIMD_FLAGS = ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f'];

/** Reads the machine description; clock and flags from /proc on Linux. */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  let mhz = cpus[0]?.speed ?? 0;
  let simd: string[] = [];
  try {
    const info = fs.readFileSync('/proc/cpuinfo', 'utf8');
    // Virtual machines often report speed 0 through os.cpus().
    if (!mhz) mhz = Number(/cpu MHz\s*:\s*([\d.]+)/.exec(info)?.[1] ?? 0);
    const flags = new Set(/^flags\s*:(.*)$/m.exec(info)?.[1]?.split(/\s+/));
    simd = SIMD_FLAGS.filter((flag) => flags.has(flag));
  } catch {
    // Not Linux: keep what os.cpus() said.
  }
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    mhz: Math.round(mhz),
    simd,
    node: process.version,
    tfjs: tf.version.tfjs,
  };
}

/** One-, five- and fifteen-minute load averages, two decimals. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');
}

/** The run paragraph every section starts with. */
export function runParagraph(options: {
  command: string;
  started: Date;
  seconds: number;
  backends: string[];
  loadBefore: string;
  loadAfter: string;
}): string {
  const m = machineInfo();
  const clock = m.mhz ? ` at ${(m.mhz / 1000).toFixed(2)} GHz` : '';
  const simd = m.simd.length ? `, ${m.simd.join(' ')}` : '';
  return [
    `Written by \`${options.command}\` on ${options.started.toISOString()}` +
      ` (${options.seconds.toFixed(0)} s).`,
    `Machine: ${m.cpuModel}, ${m.cores} cores${clock}${simd}; Node ` +
      `${m.node}; tfjs ${m.tfjs}, backends ${options.backends.join(', ')}.`,
    `Load average (1 / 5 / 15 min) before ${options.loadBefore}, after ` +
      `${options.loadAfter}, on ${m.cores} cores; the benchmark itself ` +
      'adds about 1, the rest was other work sharing the machine.',
  ].join('\n');
}
