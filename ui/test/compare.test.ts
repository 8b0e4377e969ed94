import { describe, expect, it } from 'vitest';
import { change, formatInterval, formatP, formatPoints, verdict } from '../src/compare';
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

describe('significance formatting', () => {
  it('p-values', () => {
    expect(formatP(0.0651)).toBe('p = 0.07');
    expect(formatP(0.0042)).toBe('p = 0.004');
    expect(formatP(0.00002)).toBe('p < 0.001');
    expect(formatP(null)).toBe('–');
  });
  it('intervals in percentage points', () => {
    expect(formatPoints(0.0741)).toBe('+7.4 pts');
    expect(formatPoints(-0.0021)).toBe('-0.2 pts');
    expect(formatPoints(0.0001)).toBe('0.0 pts');
    expect(formatInterval(-0.0021, 0.0741)).toBe('95% CI -0.2 to +7.4 pts');
    expect(formatInterval(null, null)).toBeNull();
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
