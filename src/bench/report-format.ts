/**
 * Number formats and target verdicts shared by the benchmark reports,
 * so every section states a target the same way.
 */

/** A whole number with thousands separators. */
export const int = (x: number): string =>
  Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-';

/** A number with `digits` decimals; `-` when not finite. */
export const fixed = (x: number, digits = 1): string =>
  Number.isFinite(x) ? x.toFixed(digits) : '-';

/** Milliseconds with two decimals below 10 ms, one above. */
export const ms = (x: number): string => fixed(x, x < 10 ? 2 : 1);

/** Bytes as MiB with one decimal. */
export const mib = (bytes: number): string =>
  `${fixed(bytes / 2 ** 20, 1)} MiB`;

/** A target and which side of it is good. */
export interface Target {
  /** The value to reach. */
  value: number;
  /** `min`: at least the value is good; `max`: at most. */
  kind: 'min' | 'max';
}

/** True when `x` meets `target`. */
export function meets(x: number, target: Target): boolean {
  return target.kind === 'min' ? x >= target.value : x <= target.value;
}

/** `met` or `**not met**`, for a table cell. */
export function verdict(x: number, target: Target): string {
  return meets(x, target) ? 'met' : '**not met**';
}

/** A Markdown table from a header row and body rows. */
export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(header),
    line(header.map(() => '---')),
    ...rows.map((row) => line(row)),
  ].join('\n');
}
