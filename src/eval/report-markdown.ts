/** Renders evaluation reports as the Markdown of EVALUATION.md. */
import type { BinaryScores, EvaluationReport, FileScores } from './evaluate.js';

const pct = (x: number | undefined) =>
  x === undefined || Number.isNaN(x) ? '-' : `${(x * 100).toFixed(2)} %`;
const num = (x: number | undefined) =>
  x === undefined || Number.isNaN(x) ? '-' : x.toFixed(4);

/** One section per file: the model and each baseline in one table. */
export function reportSection(name: string, report: EvaluationReport): string {
  const rows: [string, FileScores][] = [
    [`**siamese LSTM** (${report.model})`, report],
    ['word-set Jaccard', report.baselines.jaccard],
    ['TF-IDF cosine', report.baselines.tfidf],
    ['averaged GloVe cosine', report.baselines.avg_glove],
  ];
  const lines = [
    `### ${name}`,
    '',
    `\`${report.file}\`, ${report.n} pairs.`,
    '',
  ];

  if (report.kind === 'graded') {
    lines.push('| scorer | Pearson | Spearman |', '|---|---|---|');
    for (const [label, s] of rows) {
      const g = s as { pearson: number; spearman: number };
      lines.push(`| ${label} | ${num(g.pearson)} | ${num(g.spearman)} |`);
    }
    return lines.join('\n');
  }

  const ranking = report.kind === 'ranking';
  lines.push(
    '| scorer | accuracy | best accuracy | F1 | precision | recall | AP | ROC AUC' +
      (ranking ? ' | MAP | MRR |' : ' |'),
    '|---|---|---|---|---|---|---|---' + (ranking ? '|---|---|' : '|'),
  );
  for (const [label, s] of rows) {
    const b = s as BinaryScores;
    lines.push(
      `| ${label} | ${pct(b.accuracy)} | ${pct(b.best_accuracy)} | ` +
        `${num(b.f1)} | ${num(b.precision)} | ${num(b.recall)} | ` +
        `${num(b.ap)} | ${num(b.auc)}` +
        (ranking ? ` | ${num(b.map)} | ${num(b.mrr)} |` : ' |'),
    );
  }
  if (report.search_engine) {
    lines.push(
      `| search engine's own order | | | | | | | | ` +
        `${num(report.search_engine.map)} | ${num(report.search_engine.mrr)} |`,
    );
  }
  lines.push(
    '',
    `Model accuracy is at its stored threshold (energy <= ` +
      `${num((report as BinaryScores).threshold)}); baseline thresholds ` +
      `are tuned on \`${shortPath(report.calibration)}\`. "Best accuracy" ` +
      'uses the best threshold for this file itself, an upper bound.',
  );
  return lines.join('\n');
}

function shortPath(file: string): string {
  return file.split('/').slice(-2).join('/');
}
