/**
 * Renders the encoder benchmark's measurements as Markdown. Rates are
 * given per second of this process's CPU time (what one free core does)
 * and per second of wall time (what the run got while other processes
 * shared the CPU).
 */
import type { EncoderConfig } from '../encoder/types.js';
import {
  forwardFlops,
  parameterCount,
  trainingFlopsPerPair,
} from './lstm-flops.js';
import type { MachineInfo } from './machine.js';
import type { Seconds } from './timing.js';

/** An architecture measured: a name and its settings over the defaults. */
export interface Architecture {
  name: string;
  config: Partial<EncoderConfig>;
}

/** Which product a matMul measurement stands for. */
export type ProductKind = 'dense' | 'input' | 'recurrent' | 'output';

/** Everything measured on one backend. Maps are keyed `arch/batch`. */
export interface BackendResult {
  backend: string;
  /** Training pairs per second. */
  train: Map<string, Seconds>;
  /** Embedded sentences per second. */
  embed: Map<string, Seconds>;
  /** `embed()` sentences per second, by architecture. */
  endToEnd: Map<string, Seconds>;
  /** LSTM steps run per sentence, padding included. */
  stepsPerSentence: Map<string, number>;
  /** Products and their GFLOP/s: a large one, and the encoder's own. */
  matMul: { kind: ProductKind; label: string; gflops: Seconds }[];
  /** Microseconds of CPU time per small elementwise op. */
  opMicros: number;
}

/** Inputs of {@link renderEncoderReport}. */
export interface EncoderReportInput {
  architectures: (Architecture & { full: EncoderConfig })[];
  results: BackendResult[];
  /** Mean tokens per embedded sentence and per training sentence. */
  tokens: { sentences: number; pairs: number };
  /** Distinct questions available. */
  texts: number;
  plans: {
    backend: string;
    trainBatches: number[];
    embedBatches: number[];
    pairs: number;
    sentences: number;
  }[];
  machine: MachineInfo;
}

/**
 * Kernel calls per LSTM step and direction in the forward pass: matMul,
 * reshape, transpose, add, scale, sigmoid, unstack, two for the candidate,
 * three for the cell, four for tanh, one for the state, two for pooling.
 */
const KERNELS_PER_STEP = 19;

/** Targets from the product brief. */
const TARGET_TRAIN = 1000;
const TARGET_EMBED = 5000;

const int = (x: number) => Math.round(x).toLocaleString('en-US');
const fixed = (x: number, digits = 1) => x.toFixed(digits);
const mega = (x: number) => `${(x / 1e6).toFixed(2)} M`;

function describe(config: EncoderConfig): string {
  return (
    `${config.units} units, ` +
    `${config.bidirectional ? 'bidirectional' : 'one direction'}, ` +
    `${config.pooling} pooling` +
    `${config.wordSkip ? `, ${config.meanWeights ?? 'uniform'} word mean` : ''}` +
    `${config.projection ? `, projection ${config.projection}` : ''}` +
    `${config.lexicalDim ? ` + ${config.lexicalDim}-d bag of words` : ''}` +
    `${config.normalize ? ', normalised' : ''}`
  );
}

/** The whole Markdown body of the encoder section. */
export function renderEncoderReport(input: EncoderReportInput): string {
  const { tokens } = input;
  const wasm = input.plans.find((p) => p.backend === 'wasm');
  const cpu = input.plans.find((p) => p.backend === 'cpu');
  return [
    `Real questions from \`quora/dev.tsv\` (${int(input.texts)} distinct). ` +
      `The encoder reads ${fixed(tokens.sentences, 2)} tokens per question ` +
      `on average (at most 48 kept) in the embedding set and ` +
      `${fixed(tokens.pairs, 2)} in the training pairs. Training runs ` +
      '`trainEncoder` as `siamese-dedup train` does (length-bucketed ' +
      'batches, Adam, contrastive loss); the first batch of each run is not ' +
      'timed. Embedding sorts questions by length and batches them as ' +
      '`embedRows` does; the `embed()` column adds tokenising, at its fixed ' +
      `batch of 256. WASM: ${int(wasm?.pairs ?? 0)} pairs and ` +
      `${int(wasm?.sentences ?? 0)} questions, a few seconds per setting. ` +
      `CPU backend: one short setting each (${int(cpu?.pairs ?? 0)} pairs, ` +
      `${int(cpu?.sentences ?? 0)} questions); it is slow.`,
    '',
    'Each cell gives the rate per second of CPU time of the benchmark ' +
      'process, the useful GFLOP/s at that rate, and the rate per second of ' +
      'wall time. The WASM backend computes on one thread, and V8 adds a ' +
      'little on others (garbage collection, compilation), so on a free ' +
      'machine the CPU-time rate is a little under the wall rate; when ' +
      'other work takes part of the core the wall rate falls and the ' +
      'CPU-time rate still tells what one core does.',
    '',
    ...flopsTable(input),
    '',
    ...throughputTables(input),
    '',
    ...ceiling(input),
    '',
    ...targets(input),
  ].join('\n');
}

function flopsTable(input: EncoderReportInput): string[] {
  const t = input.tokens;
  const rows = input.architectures.map((a) => {
    const f = forwardFlops(a.full, t.sentences);
    return (
      `| ${a.name}: ${describe(a.full)} | ${int(parameterCount(a.full))} | ` +
      `${mega(f.total)} (${fixed((100 * f.matMul) / f.total, 0)} % matMul) | ` +
      `${mega(trainingFlopsPerPair(a.full, t.pairs))} |`
    );
  });
  return [
    '### Architectures and FLOPs',
    '',
    '| architecture | parameters | forward FLOPs / question | training FLOPs / pair |',
    '|---|---|---|---|',
    ...rows,
    '',
    'Counted from the architecture at the measured mean token counts: per ' +
      'token and direction the input projection (2 x 100 x 4H), the ' +
      'recurrent product (2 x H x 4H) and 28H elementwise operations ' +
      '(gates, cell, state, pooling; a sigmoid counts 1), plus the output ' +
      'projection. Training counts a forward and a backward pass (about ' +
      'twice the forward) for both questions of a pair. Padding is not ' +
      'counted: the GFLOP/s below are useful work.',
  ];
}

/** `cpu rate (GFLOP/s) · wall rate`, or a dash. */
function rateCell(rate: Seconds | undefined, flops: number): string {
  if (!rate) return '-';
  return (
    `${int(rate.cpu)} (${fixed((rate.cpu * flops) / 1e9)}) · ` +
    `${int(rate.wall)} wall`
  );
}

function throughputTables(input: EncoderReportInput): string[] {
  const trainBatches = [...new Set(input.plans.flatMap((p) => p.trainBatches))];
  const embedBatches = [...new Set(input.plans.flatMap((p) => p.embedBatches))];
  const train: string[] = [];
  const embed: string[] = [];

  for (const r of input.results) {
    for (const a of input.architectures) {
      const perPair = trainingFlopsPerPair(a.full, input.tokens.pairs);
      const perQuestion = forwardFlops(a.full, input.tokens.sentences).total;
      const trainCells = trainBatches.map((b) =>
        rateCell(r.train.get(`${a.name}/${b}`), perPair),
      );
      const embedCells = embedBatches.map((b) =>
        rateCell(r.embed.get(`${a.name}/${b}`), perQuestion),
      );
      const endToEnd = rateCell(r.endToEnd.get(a.name), perQuestion);
      train.push(`| ${r.backend} | ${a.name} | ${trainCells.join(' | ')} |`);
      embed.push(
        `| ${r.backend} | ${a.name} | ${embedCells.join(' | ')} | ${endToEnd} |`,
      );
    }
  }

  const wasm = input.results.find((r) => r.backend === 'wasm');
  const padding = embedBatches
    .flatMap((b) => {
      const steps = wasm?.stepsPerSentence.get(`default/${b}`);
      return steps === undefined ? [] : [`${fixed(steps, 2)} at ${b}`];
    })
    .join(', ');

  return [
    '### Training, pairs/s: CPU time (GFLOP/s) · wall',
    '',
    `| backend | architecture | ${trainBatches.map((b) => `batch ${b}`).join(' | ')} |`,
    `|---|---|${trainBatches.map(() => '---').join('|')}|`,
    ...train,
    '',
    '### Embedding, questions/s: CPU time (GFLOP/s) · wall',
    '',
    `| backend | architecture | ${embedBatches.map((b) => `batch ${b}`).join(' | ')} | embed() |`,
    `|---|---|${embedBatches.map(() => '---').join('|')}|---|`,
    ...embed,
    '',
    `Steps the LSTM ran per question on WASM, padding included: ${padding} ` +
      `(against ${fixed(input.tokens.sentences, 2)} real tokens); larger ` +
      'batches span more lengths and carry more padding.',
  ];
}

function ceiling(input: EncoderReportInput): string[] {
  const m = input.machine;
  const ghz = m.mhz / 1000;
  const rows = input.results.flatMap((r) =>
    r.matMul.map(
      (p) =>
        `| ${r.backend} | ${p.label} | ${fixed(p.gflops.cpu)} | ` +
        `${fixed(p.gflops.wall)} |`,
    ),
  );
  const overheads = input.results
    .map((r) => `${fixed(r.opMicros)} µs on ${r.backend}`)
    .join(', ');

  const lines = [
    '### What the machine could do',
    '',
    '| backend | product | GFLOP/s, CPU time | GFLOP/s, wall |',
    '|---|---|---|---|',
    ...rows,
    '',
    'The large product is the practical ceiling of each backend; the ' +
      "others are the default encoder's own products for a batch of 256 " +
      `questions. A small elementwise op costs ${overheads} of CPU time, ` +
      'whatever its size.',
    '',
    ...timeModel(input),
  ];
  const dense = input.results
    .find((r) => r.backend === 'wasm')
    ?.matMul.find((p) => p.kind === 'dense')?.gflops.cpu;
  if (ghz > 0 && dense) {
    const nominal = ghz * 8;
    const measured =
      dense > nominal
        ? `The large product measured ${fixed(dense)} GFLOP/s, which at 8 ` +
          `FLOPs per cycle needs ${fixed(dense / 8, 2)} GHz: the core runs ` +
          'above its nominal clock (turbo), so the measured large product, ' +
          'not the nominal figure, is the ceiling used here.'
        : `The large product reaches ${fixed((100 * dense) / nominal, 0)} % ` +
          'of it.';
    lines.push(
      '',
      'Theoretical peak (an assumption, not measured): WebAssembly SIMD has ' +
        '4 float lanes and, in this tfjs build, no fused multiply-add; with ' +
        'two vector ports a core does at most 8 FLOPs per cycle, ' +
        `${fixed(nominal)} GFLOP/s at the nominal ${fixed(ghz, 2)} GHz. ` +
        `${measured} The WASM backend computes on one thread under Node, so ` +
        'one core is its limit whatever the core count. Native code with ' +
        'AVX-512 and two FMA units per core could do 64 FLOPs per cycle and ' +
        `core, ${fixed(ghz * 64 * m.cores, 0)} GFLOP/s on ${m.cores} cores ` +
        'at the nominal clock; the plain CPU backend is scalar JavaScript.',
    );
  }
  return lines;
}

/**
 * Where the CPU time of one embedded question goes (default architecture,
 * WASM, batch 256): its products at their measured rates, the fixed cost
 * of its kernel calls, and the rest (elementwise work, transposes, copies).
 */
function timeModel(input: EncoderReportInput): string[] {
  const wasm = input.results.find((r) => r.backend === 'wasm');
  const arch = input.architectures.find((a) => a.name === 'default');
  const qps = wasm?.embed.get('default/256')?.cpu;
  const steps = wasm?.stepsPerSentence.get('default/256');
  const rate = (kind: ProductKind) =>
    wasm?.matMul.find((p) => p.kind === kind)?.gflops.cpu;
  const [inRate, recRate, outRate] = [
    rate('input'),
    rate('recurrent'),
    rate('output'),
  ];
  if (!wasm || !arch || !qps || !steps || !inRate || !recRate || !outRate) {
    return [];
  }

  const f = forwardFlops(arch.full, steps);
  const micros = (flops: number, gflops: number) => (flops / gflops) * 1e-3;
  const parts: [string, number][] = [
    ['input projection', micros(f.inputProjection, inRate)],
    ['recurrent products', micros(f.recurrent, recRate)],
    ['output projection', micros(f.outputProjection, outRate)],
    [
      `fixed cost of ~${KERNELS_PER_STEP} kernel calls per step`,
      (KERNELS_PER_STEP * steps * wasm.opMicros) / 256,
    ],
  ];
  const total = 1e6 / qps;
  const known = parts.reduce((sum, [, us]) => sum + us, 0);
  parts.push(['the rest: elementwise ops, transposes, copies', total - known]);

  return [
    `Where the ${fixed(total)} µs of CPU time of one question go (default ` +
      `architecture, WASM, batch 256, ${fixed(steps, 2)} steps with ` +
      'padding), taking each product at the rate measured above:',
    '',
    '| part | µs per question | share |',
    '|---|---|---|',
    ...parts.map(
      ([name, us]) =>
        `| ${name} | ${fixed(us, 1)} | ${fixed((100 * us) / total, 0)} % |`,
    ),
  ];
}

/** The best rate of `arch` in `map`, with its batch size. */
function best(
  map: Map<string, Seconds> | undefined,
  arch: string,
): { batch: number; rate: Seconds } {
  let top = { batch: 0, rate: { wall: 0, cpu: 0 } };
  for (const [key, rate] of map ?? []) {
    const [name, batch] = key.split('/');
    if (name === arch && rate.cpu > top.rate.cpu) {
      top = { batch: Number(batch), rate };
    }
  }
  return top;
}

function targets(input: EncoderReportInput): string[] {
  const wasm = input.results.find((r) => r.backend === 'wasm');
  const verdict = (value: number, target: number) =>
    value >= target ? 'met' : `not met (${fixed((100 * value) / target, 0)} %)`;
  const against = (rate: Seconds, target: number) =>
    `${int(rate.cpu)} per CPU second, ${verdict(rate.cpu, target)}; ` +
    `${int(rate.wall)} on the wall clock, ${verdict(rate.wall, target)}`;

  const lines = ['### Against the targets', ''];
  for (const a of input.architectures) {
    const train = best(wasm?.train, a.name);
    const embed = best(wasm?.embed, a.name);
    const endToEnd = wasm?.endToEnd.get(a.name);
    lines.push(
      `- ${a.name}, training >= ${int(TARGET_TRAIN)} pairs/s (batch ` +
        `${train.batch}): ${against(train.rate, TARGET_TRAIN)}.`,
      `- ${a.name}, embedding >= ${int(TARGET_EMBED)} questions/s (batch ` +
        `${embed.batch}): ${against(embed.rate, TARGET_EMBED)}` +
        (endToEnd
          ? `; through \`embed()\` ${against(endToEnd, TARGET_EMBED)}.`
          : '.'),
    );
  }
  lines.push('', ...efficiency(input));
  return lines;
}

/** Useful GFLOP/s of the default encoder against the dense matMul rate. */
function efficiency(input: EncoderReportInput): string[] {
  const arch = input.architectures.find((a) => a.name === 'default');
  if (!arch) return [];
  const lines: string[] = [];
  for (const r of input.results) {
    const dense = r.matMul.find((p) => p.kind === 'dense')?.gflops.cpu;
    const qps = best(r.embed, 'default').rate.cpu;
    const pps = best(r.train, 'default').rate.cpu;
    if (!dense || !qps || !pps) continue;
    const perQuestion = forwardFlops(arch.full, input.tokens.sentences).total;
    const perPair = trainingFlopsPerPair(arch.full, input.tokens.pairs);
    const embed = (qps * perQuestion) / 1e9;
    const train = (pps * perPair) / 1e9;
    lines.push(
      `- ${r.backend}: at its best rates the default encoder does ` +
        `${fixed(embed)} GFLOP/s of useful work embedding and ` +
        `${fixed(train)} training: ${fixed((100 * embed) / dense, 0)} % and ` +
        `${fixed((100 * train) / dense, 0)} % of the backend's large matMul ` +
        `(${fixed(dense)} GFLOP/s per CPU second).`,
    );
  }
  return lines;
}
