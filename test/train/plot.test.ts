import { describe, expect, it } from 'vitest';
import { asciiPlot, bucketMeans, sparkline } from '../../src/train/plot.ts';

describe('loss plots', () => {
  it('bucketMeans averages consecutive runs', () => {
    expect(bucketMeans([1, 3, 5, 7], 2)).toEqual([2, 6]);
    expect(bucketMeans([1, 2], 5)).toEqual([1, 2]);
  });
  it('sparkline maps min to the lowest block and max to the highest', () => {
    expect(sparkline([4, 3, 2, 1, 0, 0, 0, 0], 8)).toBe('█▆▅▃▁▁▁▁');
    expect(sparkline([1, 1, 1], 3)).toBe('▁▁▁');
    expect(sparkline([NaN, 2, 1], 3)).toBe('█▁');
  });
  it('asciiPlot draws one point per column with labelled axes', () => {
    const p = asciiPlot([3, 2, 1, 0], { width: 4, height: 4 });
    expect(p.split('\n')).toEqual([
      '   3.000 |*   ',
      '         | *  ',
      '         |  * ',
      '   0.000 |   *',
      '         +----',
      '          step 1 step 4',
    ]);
  });
});
