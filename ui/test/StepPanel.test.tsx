import { render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { StepPanel, type StepPanelProps } from '../src/components/StepPanel';
import { detail, step } from './fixtures';

const XSS = '<img src=x onerror=alert(1)>';

function panel(props: Partial<StepPanelProps>) {
  const summary = props.summary ?? step('s1', 1);
  return render(
    <StepPanel
      summary={summary}
      detail={undefined}
      loading={false}
      error={undefined}
      retry={vi.fn()}
      contentPolicy="metadata-only"
      runFailure={null}
      runStart={null}
      attempts={null}
      onSelectStep={vi.fn()}
      onClose={vi.fn()}
      {...props}
    />,
  );
}

describe('StepPanel', () => {
  it('shows every field of the step', () => {
    const s = step('llm-1', 3, {
      type: 'llm',
      name: 'draft_answer',
      model: 'gpt-4o',
      input_tokens: 1500,
      output_tokens: 320,
      cost_usd: 0.0123,
      status: 'error',
      error: { type: 'model', code: 'rate_limited', message: '429 from provider' },
    });
    panel({
      summary: s,
      detail: detail(s, {
        provider: 'openai',
        time_to_first_token_ms: 412.5,
        metadata: { http_status: 429, region: 'eu' },
        normalization: { type: 'gen_ai.operation.name=chat', model: 'gen_ai.request.model' },
      }),
    });
    const text = document.body.textContent!;
    for (const expected of ['draft_answer', 'gpt-4o', 'openai', '1,500', '320', '$0.012', '413 ms', 'rate_limited', '429 from provider', 'http_status', 'eu', 'gen_ai.operation.name=chat']) {
      expect(text).toContain(expected);
    }
  });

  it('renders untrusted metadata, names and content as text, never as markup', () => {
    const s = step('x', 1, { name: XSS, error: { type: 'tool', code: 'internal', message: XSS } });
    panel({ summary: s, contentPolicy: 'full', detail: detail(s, { metadata: { note: XSS }, input: { prompt: XSS }, output: XSS, events: [{ name: XSS, time: null, attributes: { v: XSS } }] }) });
    expect(document.querySelector('img')).toBeNull();
    expect(screen.getAllByText(XSS).length).toBeGreaterThanOrEqual(4);
  });

  it('says why content is missing under the metadata-only policy', () => {
    const s = step('x', 1);
    panel({ summary: s, detail: detail(s) });
    expect(screen.getAllByText('not stored: project policy is metadata-only')).toHaveLength(2);
  });

  it('lists stream events compactly with counts per name', () => {
    const s = step('st', 1, { type: 'stream' });
    const events = [
      ...Array.from({ length: 250 }, (_, i) => ({ name: 'chunk', time: null, attributes: { seq: i } })),
      { name: 'tool_call', time: null, attributes: {} },
    ];
    panel({ summary: s, detail: detail(s, { events }) });
    expect(screen.getByText('chunk ×250')).toBeTruthy();
    expect(screen.getByText('tool_call ×1')).toBeTruthy();
    expect(document.querySelectorAll('.event-list li')).toHaveLength(200);
    expect(screen.getByRole('button', { name: 'Show all 251 events' })).toBeTruthy();
  });

  it('says when the server capped the event list', () => {
    const s = step('st', 1, { type: 'stream' });
    panel({ summary: s, detail: detail(s, { events: [{ name: 'chunk', time: null, attributes: {} }], event_count: 12000 }) });
    expect(screen.getByText('12k events, 1 returned:')).toBeTruthy();
  });

  it('shows the skeleton fields while the details load, and links the run failure', () => {
    const s = step('t2', 4, { status: 'timeout', retry_of: 't1', attempt: 2 });
    panel({ summary: s, loading: true, runFailure: { type: 'tool', code: 'timeout', step_id: 't2', message: 'billing_api timed out' }, attempts: [step('t1', 3), s] });
    expect(screen.getByRole('status').textContent).toContain('Loading step details');
    expect(screen.getByText(/This step caused the run/)).toBeTruthy();
    expect(screen.getByText('billing_api timed out')).toBeTruthy();
    const attempts = screen.getByRole('list');
    expect(within(attempts).getAllByRole('listitem')).toHaveLength(2);
  });
});
