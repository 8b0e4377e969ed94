import { describe, expect, it } from 'vitest';
import { change, verdict } from '../src/compare';
import { niceCeil } from '../src/components/charts';

describe('verdict', () => {
  it('lower is better by default', () => {
    expect(verdict(100, 80)).toBe('better');
    expect(verdict(100, 130)).toBe('worse');
  });
  it('higher is better when asked', () => {
    expect(verdict(0.8, 0.9, false)).toBe('better');
  });
  it('small differences read as the same', () => {
    expect(verdict(100, 103)).toBe('same');
    expect(verdict(0, 0)).toBe('same');
  });
  it('missing values cannot be compared', () => {
    expect(verdict(null, 3)).toBe('n/a');
    expect(change(0, 3)).toBeNull();
    expect(change(200, 150)).toBe(-0.25);
  });
});

describe('niceCeil', () => {
  it.each([
    [0, 1],
    [7, 10],
    [23, 25],
    [0.042, 0.05],
    [1800, 2000],
  ])('%s → %s', (v, nice) => expect(niceCeil(v)).toBeCloseTo(nice, 10));
});
