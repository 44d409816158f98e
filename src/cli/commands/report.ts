/**
 * `siamese-dedup report`: evaluates a model on the standard held-out files
 * and writes its section of EVALUATION.md; with --update-model the
 * results also go into the model's metrics.json and model card.
 */
import os from 'node:os';
import path from 'node:path';

import type { Command } from 'commander';

import {
  defaultModelDir,
  projectRoot,
  sharedDataDir,
} from '../../config/paths.js';
import { readPairs } from '../../data/read-pairs.js';
import { modelCard, timesEach, timesLabel } from '../../encoder/model-card.js';
import { loadVectors, SiameseEncoder } from '../../encoder/siamese-encoder.js';
import { AppError, ErrorCode } from '../../errors/app-error.js';
import { evaluateFile, type EvaluationReport } from '../../eval/evaluate.js';
import { HELD_OUT } from '../../eval/held-out.js';
import { writeSection } from '../../eval/markdown-sections.js';
import { reportSection } from '../../eval/report-markdown.js';
import { cliLogger, encoderOptions } from '../context.js';

interface ReportFlags {
  model?: string;
  data: string;
  out: string;
  updateModel?: boolean;
}

export function reportCommand(program: Command): void {
  program
    .command('report')
    .description('evaluate a model on the held-out files; write EVALUATION.md')
    .option('--model <dir>', 'model directory (default: the shipped model)')
    .option('--data <dir>', 'shared data folder', sharedDataDir)
    .option('--out <file>', 'Markdown file to write', 'EVALUATION.md')
    .option('--update-model', "store the results in the model's directory")
    .action(async (flags: ReportFlags) => {
      const log = cliLogger();
      const options = encoderOptions(log);
      const encoder = await SiameseEncoder.load(flags.model, options);
      const vectors = loadVectors(options.vectorsFile, log);
      const trainedOn = trainingFiles(encoder);
      const results: Record<string, EvaluationReport> = {};
      const sections: string[] = [];

      for (const held of HELD_OUT) {
        const file = path.join(flags.data, held.file);
        if (trainedOn.has(path.resolve(file))) {
          throw new AppError(
            ErrorCode.BadInput,
            `the model was trained on ${file}; it is not held out`,
          );
        }
        process.stderr.write(`evaluating on ${held.file}\n`);
        const pairs = await readPairs(file);
        const calibration = held.calibrate
          ? await readPairs(path.join(flags.data, held.calibrate))
          : undefined;
        const report = {
          ...evaluateFile(encoder, pairs, vectors, calibration),
          // Relative, so that a committed model names no machine's paths.
          file: path.relative(projectRoot, path.resolve(file)),
        };
        results[held.file] = report;
        sections.push(reportSection(held.name, report));
      }

      const command =
        'siamese-dedup report' + (flags.model ? ` --model ${flags.model}` : '');
      writeSection(
        flags.out,
        'Evaluation',
        'encoder',
        [
          '## Encoder quality on held-out files',
          '',
          `Written by \`${command}\` on ${new Date().toISOString()} ` +
            `(${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} ` +
            `cores). None of these files was used for training or ` +
            `validation; ${provenance(encoder)}`,
          '',
          ...sections.flatMap((s) => [s, '']),
        ].join('\n'),
      );

      if (flags.updateModel) {
        encoder.save(flags.model ?? defaultModelDir, {
          metrics: results,
          card: modelCard(encoder.manifest, summary(results)),
        });
      }
      encoder.dispose();
      process.stderr.write(`wrote ${flags.out}\n`);
    });
}

function trainingFiles(encoder: SiameseEncoder): Set<string> {
  const t = encoder.manifest.training as {
    files?: string[];
    validationFiles?: string[];
  };
  return new Set(
    [...(t.files ?? []), ...(t.validationFiles ?? [])].map((f) =>
      path.resolve(projectRoot, f),
    ),
  );
}

/** The headline figure of each file, for the model card. */
function summary(
  results: Record<string, EvaluationReport>,
): Record<string, Record<string, number>> {
  return Object.fromEntries(
    Object.entries(results).map(([file, r]) => {
      const s = r as unknown as Record<string, number>;
      const keys =
        r.kind === 'graded'
          ? ['pearson', 'spearman']
          : r.kind === 'ranking'
            ? ['map', 'mrr', 'accuracy']
            : ['accuracy', 'best_accuracy', 'f1', 'auc'];
      return [file, Object.fromEntries(keys.map((k) => [k, s[k] as number]))];
    }),
  );
}

function short(file: string): string {
  return file.split('/').slice(-2).join('/');
}

/** Which files the model was trained and validated on, in words. */
function provenance(encoder: SiameseEncoder): string {
  const t = encoder.manifest.training as {
    files?: string[];
    validationFiles?: string[];
  };
  const list = (files?: string[]) =>
    timesEach(files ?? [])
      .map(([f, times]) => `\`${short(f)}\`${timesLabel(times)}`)
      .join(', ') || 'none recorded';
  return (
    `the model was trained on ${list(t.files)} and validated ` +
    `(early stopping, threshold) on ${list(t.validationFiles)}.`
  );
}
