/**
 * The `encoder` benchmark part: training pairs/s and embedding
 * sentences/s of the siamese LSTM on real Quora questions, on the WASM
 * backend (with its replacement kernels) and briefly on the plain CPU
 * backend, for the default and the bidirectional architecture; FLOPs
 * counted from the architecture, achieved GFLOP/s, and the dense matMul
 * rate of each backend as the practical ceiling.
 */
import path from 'node:path';

import * as tf from '@tensorflow/tfjs';

import { sharedDataDir } from '../config/paths.js';
import { readPairs } from '../data/read-pairs.js';
import { initBackend } from '../encoder/backend.js';
import { featureSize } from '../encoder/lstm-network.js';
import { readModel } from '../encoder/model-files.js';
import { DEFAULT_CONFIG, SiameseEncoder } from '../encoder/siamese-encoder.js';
import type { TrainingPair } from '../encoder/trainer.js';
import type { BenchPart } from './bench-part.js';
import {
  renderEncoderReport,
  type Architecture,
  type BackendResult,
  type ProductKind,
} from './encoder-report.js';
import {
  embeddingSpeed,
  endToEndSpeed,
  trainingSpeed,
} from './encoder-throughput.js';
import { machineInfo } from './machine.js';
import { matMulGflops, opOverheadMicros } from './timing.js';

/**
 * The architectures measured: that of the model the service serves
 * (`--model`, default models/default), named `default`, and the same
 * with a right-to-left LSTM added.
 */
function architectures(modelDir: string): Architecture[] {
  const shipped = readModel(modelDir).manifest.config;
  return [
    { name: 'default', config: shipped },
    { name: 'bidirectional', config: { ...shipped, bidirectional: true } },
  ];
}

/** What to measure on one backend; the CPU backend gets a short run. */
interface Plan {
  backend: 'wasm' | 'cpu';
  trainBatches: number[];
  embedBatches: number[];
  /** Timed seconds per training setting, and the fewest timed batches. */
  trainSeconds: number;
  minTrainBatches: number;
  /** Timed seconds per embedding setting, after `warmUpPasses`. */
  embedSeconds: number;
  warmUpPasses: number;
  /** Also time `embed()` on raw text. */
  endToEnd: boolean;
  /** Training pairs and embedded sentences used. */
  pairs: number;
  sentences: number;
}

const PLANS: Plan[] = [
  {
    backend: 'wasm',
    trainBatches: [32, 64, 128, 256],
    embedBatches: [64, 256, 1024],
    trainSeconds: 4,
    minTrainBatches: 2,
    embedSeconds: 2.5,
    warmUpPasses: 1,
    endToEnd: true,
    pairs: 5000,
    sentences: 4096,
  },
  {
    backend: 'cpu',
    trainBatches: [32],
    embedBatches: [256],
    trainSeconds: 2,
    minTrainBatches: 1,
    embedSeconds: 1,
    warmUpPasses: 0,
    endToEnd: false,
    pairs: 200,
    sentences: 256,
  },
];

/** Questions of quora/dev.tsv: the pairs, and the distinct texts. */
async function quoraData(): Promise<{
  pairs: TrainingPair[];
  texts: string[];
}> {
  const file = await readPairs(path.join(sharedDataDir, 'quora', 'dev.tsv'));
  const pairs = file.pairs.map((p) => ({
    a: p.a,
    b: p.b,
    label: p.label ?? 0,
    binary: true,
  }));
  const texts = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
  return { pairs, texts };
}

async function measureBackend(
  plan: Plan,
  data: { pairs: TrainingPair[]; texts: string[] },
  archs: readonly Architecture[],
  log: (line: string) => void,
): Promise<BackendResult> {
  await tf.setBackend(plan.backend);
  const result: BackendResult = {
    backend: plan.backend,
    train: new Map(),
    embed: new Map(),
    endToEnd: new Map(),
    stepsPerSentence: new Map(),
    matMul: [],
    opMicros: 0,
  };
  const train = data.pairs.slice(0, plan.pairs);
  const validation = data.pairs.slice(-32);
  const texts = data.texts.slice(0, plan.sentences);

  for (const arch of archs) {
    const encoder = await SiameseEncoder.create(arch.config, 1);
    const rows = encoder.rows(texts);

    for (const size of plan.trainBatches) {
      log(`encoder: ${plan.backend} ${arch.name} training, batch ${size}`);
      const speed = await trainingSpeed(
        encoder,
        train,
        validation,
        size,
        plan.trainSeconds,
        plan.minTrainBatches,
      );
      result.train.set(`${arch.name}/${size}`, speed.pairsPerSecond);
    }
    for (const size of plan.embedBatches) {
      log(`encoder: ${plan.backend} ${arch.name} embedding, batch ${size}`);
      const speed = embeddingSpeed(
        encoder,
        rows,
        size,
        plan.embedSeconds,
        plan.warmUpPasses,
      );
      result.embed.set(`${arch.name}/${size}`, speed.sentencesPerSecond);
      result.stepsPerSentence.set(
        `${arch.name}/${size}`,
        speed.stepsPerSentence,
      );
    }
    if (plan.endToEnd) {
      log(`encoder: ${plan.backend} ${arch.name} embed() end to end`);
      result.endToEnd.set(
        arch.name,
        endToEndSpeed(encoder, texts, plan.embedSeconds),
      );
    }
    encoder.dispose();
  }

  log(`encoder: ${plan.backend} matMul ceiling`);
  const big = plan.backend === 'wasm' ? 1024 : 512;
  result.matMul.push({
    kind: 'dense',
    label: `[${big}, ${big}] x [${big}, ${big}]`,
    gflops: matMulGflops(big, big, big, 2),
  });
  if (plan.backend === 'wasm') {
    // The products of the default encoder on a batch of 256 questions.
    const shipped = { ...DEFAULT_CONFIG, ...archs[0]?.config };
    const { inputDim: d, units: h, projection: p } = shipped;
    const steps = Math.round(result.stepsPerSentence.get('default/256') ?? 13);
    const feature = featureSize(shipped);
    const shapes: [ProductKind, number, number, number][] = [
      ['input', 256 * steps, d, 4 * h],
      ['recurrent', 256, h, 4 * h],
      ['output', 256, feature, p],
    ];
    for (const [kind, m, k, n] of shapes) {
      result.matMul.push({
        kind,
        label: `${kind} [${m}, ${k}] x [${k}, ${n}]`,
        gflops: matMulGflops(m, k, n, 1),
      });
    }
  }
  result.opMicros = opOverheadMicros(1);
  return result;
}

/** Mean tokens per sentence as the encoder reads them (at most maxLength). */
function meanTokens(encoder: SiameseEncoder, texts: readonly string[]): number {
  const rows = encoder.rows(texts);
  return rows.reduce((sum, r) => sum + r.length, 0) / rows.length;
}

/** The encoder part of `npm run bench`. */
export const encoderPart: BenchPart = {
  name: 'encoder',
  title: 'Encoder throughput: training and embedding',
  async run(log, options) {
    await initBackend('wasm');
    const archs = architectures(options.modelDir);
    const data = await quoraData();
    const probe = await SiameseEncoder.create({}, 1);
    const tokens = {
      sentences: meanTokens(probe, data.texts.slice(0, 4096)),
      pairs: meanTokens(
        probe,
        data.pairs.slice(0, 8000).flatMap((p) => [p.a, p.b]),
      ),
    };
    probe.dispose();

    const results: BackendResult[] = [];
    for (const plan of PLANS) {
      results.push(await measureBackend(plan, data, archs, log));
    }
    await tf.setBackend('wasm');

    const configs = archs.map((arch) => ({
      ...arch,
      full: { ...DEFAULT_CONFIG, ...arch.config },
    }));
    return {
      body: renderEncoderReport({
        architectures: configs,
        results,
        tokens,
        texts: data.texts.length,
        plans: PLANS,
        machine: machineInfo(),
      }),
      backends: PLANS.map((p) => p.backend),
    };
  },
};
