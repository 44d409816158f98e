/** Ranking of values with ties shared, as rank-based statistics need. */

/**
 * 1-based ranks of `values` in ascending order; tied values all get the
 * average of the ranks they span (so [10, 20, 20] ranks as [1, 2.5, 2.5]).
 */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((_, index) => index);
  order.sort((x, y) => (values[x] as number) - (values[y] as number));

  const ranks = new Array<number>(values.length).fill(0);
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    const value = values[order[start] as number];
    while (end < order.length && values[order[end] as number] === value) {
      end += 1;
    }

    // Positions start..end-1 hold ranks start+1..end; their mean:
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k += 1) ranks[order[k] as number] = rank;
    start = end;
  }
  return ranks;
}
