import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../src/App';
import { EMPTY_RULE, parseRuleForm } from '../src/pages/AlertsPage';
import { ME, mockFetch } from './fixtures';

afterEach(() => vi.unstubAllGlobals());

const OWNER = { ...ME, owner: true };

describe('alert rule form', () => {
  it('turns a budget form into a rule with fractions, and says which field is wrong', () => {
    const rule = parseRuleForm({ ...EMPTY_RULE, name: 'spend', amount_usd: '50', thresholds: '80, 100', channels: 'a, b' });
    expect(rule).toMatchObject({ kind: 'budget', period: 'day', amount_usd: 50, thresholds: [0.8, 1], channels: ['a', 'b'] });
    expect(() => parseRuleForm({ ...EMPTY_RULE, name: 'spend' })).toThrow('Budget (USD): enter a number');
    expect(() => parseRuleForm({ ...EMPTY_RULE, name: 'q', kind: 'no_data' })).toThrow('Agent: a no-data rule watches one agent.');
    const errors = parseRuleForm({ ...EMPTY_RULE, name: 'e', kind: 'error_rate', threshold: '10', window_minutes: '5', for_minutes: '2' });
    expect(errors).toMatchObject({ threshold: 0.1, window_seconds: 300, for_seconds: 120, min_runs: 10 });
    const worse = parseRuleForm({ ...EMPTY_RULE, name: 'v2', kind: 'version_worse', agent: 'billing', version: 'v2', baseline: 'v1', metric: 'cost_per_run', window_minutes: '60' });
    expect(worse).toMatchObject({ kind: 'version_worse', agent: 'billing', version: 'v2', baseline: 'v1', metric: 'cost_per_run', window_seconds: 3600 });
    expect(() => parseRuleForm({ ...EMPTY_RULE, name: 'v2', kind: 'version_worse', agent: 'billing', version: 'v2' })).toThrow('Version and Baseline');
  });
});

describe('alerts page', () => {
  it('lists rules and firing alerts, creates a rule and sends a test to a channel', async () => {
    const rules: unknown[] = [];
    let tested = 0;
    mockFetch({
      '/v1/auth/me': () => ({ body: OWNER }),
      '/v1/alerts/rules': () => ({ body: { rules } }),
      'POST /v1/alerts/rules': (_url, init) => {
        const r = { id: 'rule_1', thresholds: [], window_seconds: 0, min_runs: 0, for_seconds: 0, channels: [], enabled: true, ...JSON.parse(String(init!.body)) };
        rules.push(r);
        return { status: 201, body: r };
      },
      '/v1/alerts': () => ({ body: { alerts: [{ rule_id: 'rule_0', rule_name: 'old spend', kind: 'budget', key: '80', state: 'firing', since: '2026-01-01T00:00:00Z', starts_at: null, value: 9, threshold: 8, silenced: false }] } }),
      '/v1/alerts/history': () => ({ body: { history: [] } }),
      '/v1/alerts/silences': () => ({ body: { silences: [] } }),
      '/v1/alerts/channels': () => ({ body: { channels: [{ id: 'ch_1', name: 'ops', type: 'webhook', url: 'http://x/hook', has_secret: true, timeout_ms: 5000, max_attempts: 4, backoff_ms: 1000 }] } }),
      'POST /v1/alerts/channels/ch_1/test': () => {
        tested++;
        return { body: { channel_id: 'ch_1', rule_id: 'test', state: 'firing', event_at: '', status: 'delivered', response_code: 200, attempts: 1, error: null, at: '' } };
      },
      '/v1/alerts/deliveries': () => ({ body: { deliveries: [] } }),
    });
    window.history.replaceState(null, '', '/alerts');
    render(<App />);
    expect(await screen.findByText('old spend — 80%')).toBeTruthy();
    fireEvent.change(await screen.findByLabelText('Name', { selector: 'input[name="name"]' }), { target: { value: 'daily' } });
    fireEvent.change(screen.getByLabelText('Budget (USD)'), { target: { value: '20' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create rule' }));
    expect(await screen.findByText('Saved rule daily.')).toBeTruthy();
    await waitFor(() => expect(screen.getByText(/\$20 per day, at 80% and 100%/)).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: 'Send test' }));
    expect(await screen.findByText('Test delivered to ops (HTTP 200).')).toBeTruthy();
    expect(tested).toBe(1);
  });

  it('edits a channel, keeping its secret when the field is left blank', async () => {
    const puts: Record<string, unknown>[] = [];
    mockFetch({
      '/v1/auth/me': () => ({ body: OWNER }),
      '/v1/alerts/rules': () => ({ body: { rules: [] } }),
      '/v1/alerts': () => ({ body: { alerts: [] } }),
      '/v1/alerts/history': () => ({ body: { history: [] } }),
      '/v1/alerts/silences': () => ({ body: { silences: [] } }),
      '/v1/alerts/channels': () => ({ body: { channels: [{ id: 'ch_1', name: 'ops', type: 'webhook', url: 'http://x/hook', has_secret: true, timeout_ms: 5000, max_attempts: 4, backoff_ms: 1000 }] } }),
      'PUT /v1/alerts/channels/ch_1': (_url, init) => {
        const body = JSON.parse(String(init!.body));
        puts.push(body);
        return { body: { id: 'ch_1', has_secret: true, timeout_ms: 5000, max_attempts: 4, backoff_ms: 1000, ...body } };
      },
      '/v1/alerts/deliveries': () => ({ body: { deliveries: [] } }),
    });
    window.history.replaceState(null, '', '/alerts');
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit channel' });
    const url = form.querySelector('input[placeholder="https://"]') as HTMLInputElement;
    expect(url.value).toBe('http://x/hook');
    fireEvent.change(url, { target: { value: 'https://hooks.example.com/ops' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save channel' }));
    expect(await screen.findByText('Saved channel ops (ch_1).')).toBeTruthy();
    expect(puts).toEqual([{ name: 'ops', type: 'webhook', url: 'https://hooks.example.com/ops' }]);
    expect(screen.getByRole('button', { name: 'Create channel' })).toBeTruthy();
  });
});
