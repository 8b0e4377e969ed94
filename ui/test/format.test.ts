import { describe, expect, it } from 'vitest';
import { formatCost, formatCount, formatDuration, formatPercent, formatRelative, formatTokens, formatValue, parseTime, shortId } from '../src/format';

describe('formatDuration', () => {
  it.each([
    [null, '–'],
    [0, '0 ms'],
    [0.25, '250 µs'],
    [3.456, '3.46 ms'],
    [12.34, '12.3 ms'],
    [850, '850 ms'],
    [2500, '2.5 s'],
    [12_345, '12.3 s'],
    [125_000, '2m 05s'],
    [3_780_000, '1h 03m'],
    [90_000_000, '1d 1h'],
  ])('%s ms reads as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatCost', () => {
  it.each([
    [null, '–'],
    [0, '$0'],
    [0.0031, '$0.0031'],
    [0.000512, '$0.00051'],
    [0.0000001, '<$0.000001'],
    [0.042, '$0.042'],
    [12.345, '$12.35'],
    [1234.5, '$1,235'],
  ])('%s USD reads as %s', (usd, text) => {
    expect(formatCost(usd)).toBe(text);
  });
});

describe('numbers', () => {
  it('counts compactly past ten thousand', () => {
    expect(formatCount(9999)).toBe('9,999');
    expect(formatCount(12_345)).toBe('12.3k');
    expect(formatCount(1_200_000)).toBe('1.2M');
  });
  it('percentages keep tiny values visible', () => {
    expect(formatPercent(0.06)).toBe('6%');
    expect(formatPercent(0.1234)).toBe('12.3%');
    expect(formatPercent(0.0004)).toBe('<0.1%');
  });
  it('tokens show input and output', () => {
    expect(formatTokens(512, 128)).toBe('512 / 128');
    expect(formatTokens(null, null)).toBe('–');
  });
});

describe('parseTime', () => {
  it('keeps microseconds of nanosecond timestamps', () => {
    const a = parseTime('2026-11-22T03:19:41.866001Z')!;
    const b = parseTime('2026-11-22T03:19:41.866003999Z')!;
    expect(a - Date.parse('2026-11-22T03:19:41.866Z')).toBeCloseTo(0.001, 3);
    expect(b - a).toBeCloseTo(0.003, 3);
  });
  it('reads offsets and rejects garbage', () => {
    expect(parseTime('2026-11-22T04:00:00+01:00')).toBe(Date.parse('2026-11-22T03:00:00Z'));
    expect(parseTime('not a time')).toBeNull();
    expect(parseTime(null)).toBeNull();
  });
});

describe('text', () => {
  it('relative times', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    expect(formatRelative('2026-11-22T09:57:00Z', now)).toBe('3 min ago');
    expect(formatRelative('2026-11-22T07:00:00Z', now)).toBe('3 h ago');
    expect(formatRelative('2026-11-22T10:00:01Z', now)).toBe('just now');
  });
  it('values render as plain text, markup untouched', () => {
    expect(formatValue('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
    expect(formatValue({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(formatValue(null)).toBe('null');
  });
  it('short ids', () => {
    expect(shortId('8f9aeb22-d529-9fdc')).toBe('8f9aeb22…');
    expect(shortId('abc')).toBe('abc');
  });
});
