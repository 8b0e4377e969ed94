import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../src/App';
import { parsePrice } from '../src/pages/PricesSection';
import { ME, mockFetch } from './fixtures';

afterEach(() => vi.unstubAllGlobals());

const OWNER = { ...ME, owner: true };

describe('model prices on the settings page', () => {
  it('lists the prices in force, prices an unknown model and removes a project row', async () => {
    let rows = [
      { model: 'gpt-4o', provider: 'openai', effective_from: '2024-10-02', input: 2.5, output: 10, cached_input: 1.25, reasoning: null, source: 'server' },
      { model: 'acme-old', provider: null, effective_from: '2025-01-01', input: 1, output: 1, cached_input: null, reasoning: null, source: 'project' },
    ];
    const calls = mockFetch({
      '/v1/auth/me': () => ({ body: OWNER }),
      '/v1/prices': () => ({ body: { unit: 'USD per million tokens', prices: rows } }),
      'PUT /v1/prices': (_url, init) => {
        const p = JSON.parse(String(init!.body));
        rows = [...rows, { ...p, source: 'project' }];
        return { body: { accepted: 1 } };
      },
      'DELETE /v1/prices': (url) => {
        rows = rows.filter((r) => r.model !== url.searchParams.get('model'));
        return { status: 204 };
      },
      '/v1/prices/unknown': () => ({ body: { models: [{ model: 'acme-ft', steps: 12, input_tokens: 3400, output_tokens: 900, sent_cost_usd: 0 }] } }),
    });
    window.history.replaceState(null, '', '/settings');
    render(<App />);
    expect(await screen.findByText('gpt-4o')).toBeTruthy();
    expect(screen.getByText('$2.5')).toBeTruthy();
    // the unknown model fills the form's model field
    fireEvent.click(await screen.findByRole('button', { name: 'acme-ft' }));
    expect((screen.getByLabelText('Model') as HTMLInputElement).value).toBe('acme-ft');
    fireEvent.change(screen.getByLabelText('Input'), { target: { value: 'cheap' } });
    fireEvent.change(screen.getByLabelText('Output'), { target: { value: '0.8' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save price' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Input: enter a price in USD per million tokens');
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);
    fireEvent.change(screen.getByLabelText('Input'), { target: { value: '0.4' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save price' }));
    await screen.findByText(/Saved: acme-ft from/);
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.url.searchParams.get('project')).toBe('default');
    expect(put.body).toMatchObject({ model: 'acme-ft', input: 0.4, output: 0.8, cached_input: null, reasoning: null });
    await waitFor(() => expect(screen.getAllByText('this project')).toHaveLength(2));

    fireEvent.click(screen.getAllByRole('button', { name: 'Remove' })[0]);
    await screen.findByText(/Removed this project's price of acme-old/);
    const del = calls.find((c) => c.method === 'DELETE')!;
    expect(del.url.searchParams.get('effective_from')).toBe('2025-01-01');
  });

  it('parsePrice says which field is wrong', () => {
    const ok = { model: ' m ', provider: '', effective_from: '2026-01-01', input: '1', output: '2', cached_input: '', reasoning: '3' };
    expect(parsePrice(ok)).toEqual({ model: 'm', provider: null, effective_from: '2026-01-01', input: 1, output: 2, cached_input: null, reasoning: 3 });
    expect(() => parsePrice({ ...ok, model: '' })).toThrow('Model');
    expect(() => parsePrice({ ...ok, effective_from: '1/1/2026' })).toThrow('YYYY-MM-DD');
    expect(() => parsePrice({ ...ok, output: '-1' })).toThrow('Output');
  });
});
