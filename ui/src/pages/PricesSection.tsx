import { useState, type FormEvent } from 'react';
import { pricesApi } from '../api';
import { formatCost, formatCount } from '../format';
import { useAsync } from '../hooks';
import type { ModelPrice } from '../types';

/** A price as typed: empty optional fields are null; everything else must be a number of USD per million tokens. */
export function parsePrice(form: Record<string, string>): ModelPrice {
  const model = form.model.trim();
  if (!model) throw new Error('Model: enter the model name as your clients send it, e.g. gpt-4o.');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.effective_from.trim())) throw new Error('From: enter a day as YYYY-MM-DD.');
  const num = (field: string, label: string, optional: boolean): number | null => {
    const t = form[field].trim();
    if (t === '' && optional) return null;
    const v = Number(t);
    if (t === '' || !Number.isFinite(v) || v < 0) throw new Error(`${label}: enter a price in USD per million tokens (0 or more).`);
    return v;
  };
  return {
    model,
    provider: form.provider.trim() || null,
    effective_from: form.effective_from.trim(),
    input: num('input', 'Input', false) as number,
    output: num('output', 'Output', false) as number,
    cached_input: num('cached_input', 'Cached input', true),
    reasoning: num('reasoning', 'Reasoning', true),
  };
}

const EMPTY = { model: '', provider: '', effective_from: new Date().toISOString().slice(0, 10), input: '', output: '', cached_input: '', reasoning: '' };

const price = (v: number | null) => (v === null ? '—' : `$${v}`);

/** Settings: the model prices the project's costs are computed with, its own rows, and the models no price covers. */
export function PricesSection({ project, admin }: { project: string; admin: boolean }) {
  const [version, setVersion] = useState(0);
  const prices = useAsync(() => pricesApi(project).list(), `prices:${project}:${version}`);
  const unknown = useAsync(() => pricesApi(project).unknown(), `unknown:${project}:${version}`);
  const [form, setForm] = useState<Record<string, string>>(EMPTY);
  const [filter, setFilter] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setStatus(null);
    try {
      const p = parsePrice(form);
      await pricesApi(project).put(p);
      setStatus(`Saved: ${p.model} from ${p.effective_from}. It prices steps written from now on.`);
      setForm(EMPTY);
      setVersion((v) => v + 1);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const remove = async (p: ModelPrice) => {
    setError(null);
    try {
      await pricesApi(project).remove(p.model, p.effective_from);
      setStatus(`Removed this project's price of ${p.model} from ${p.effective_from}.`);
      setVersion((v) => v + 1);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const rows = (prices.data?.prices ?? []).filter((p) => p.model.includes(filter.trim().toLowerCase()));
  const field = (name: string, label: string, placeholder = '') => (
    <label className="field">
      <span className="field-label">{label}</span>
      <input name={name} value={form[name]} placeholder={placeholder} onChange={(e) => setForm({ ...form, [name]: e.target.value })} />
    </label>
  );

  return (
    <section aria-label="Model prices">
      <h2>Model prices</h2>
      <p className="muted">
        Steps that report tokens but no cost are priced from this table (USD per million tokens, each price from its
        day on). Rows from this project override the server&apos;s table for this project only.
      </p>
      {error ? (
        <div className="error-box" role="alert">
          {error}
        </div>
      ) : null}
      {status ? <p role="status">{status}</p> : null}
      {admin ? (
        <form className="settings-form price-form" onSubmit={save} aria-label="Add or replace a price">
          {field('model', 'Model', 'gpt-4o')}
          {field('provider', 'Provider', 'optional')}
          {field('effective_from', 'From (YYYY-MM-DD)')}
          {field('input', 'Input')}
          {field('output', 'Output')}
          {field('cached_input', 'Cached input', 'input price')}
          {field('reasoning', 'Reasoning', 'output price')}
          <button type="submit">Save price</button>
        </form>
      ) : (
        <p className="muted">A project admin changes prices.</p>
      )}
      {unknown.data && unknown.data.models.length > 0 ? (
        <div className="card" aria-label="Models without a price">
          <h3>Models without a price</h3>
          <table className="compact-table">
            <thead>
              <tr>
                <th>Model</th>
                <th className="num">Calls</th>
                <th className="num">Input tokens</th>
                <th className="num">Output tokens</th>
                <th className="num">Cost sent by clients</th>
              </tr>
            </thead>
            <tbody>
              {unknown.data.models.map((m) => (
                <tr key={m.model}>
                  <td>
                    {admin ? (
                      <button type="button" className="link-button" onClick={() => setForm({ ...EMPTY, model: m.model })} title="Price this model">
                        {m.model}
                      </button>
                    ) : (
                      m.model
                    )}
                  </td>
                  <td className="num">{formatCount(m.steps)}</td>
                  <td className="num">{formatCount(m.input_tokens)}</td>
                  <td className="num">{formatCount(m.output_tokens)}</td>
                  <td className="num">{formatCost(m.sent_cost_usd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <label className="field">
        <span className="field-label">Find a model</span>
        <input aria-label="find a model" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="claude" />
      </label>
      {prices.error ? <p className="error-box">{prices.error.message}</p> : null}
      <table className="compact-table prices-table">
        <thead>
          <tr>
            <th>Model</th>
            <th>Provider</th>
            <th>From</th>
            <th className="num">Input</th>
            <th className="num">Output</th>
            <th className="num">Cached input</th>
            <th className="num">Reasoning</th>
            <th>Source</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr key={`${p.model}|${p.effective_from}`}>
              <td>{p.model}</td>
              <td>{p.provider ?? ''}</td>
              <td>{p.effective_from}</td>
              <td className="num">{price(p.input)}</td>
              <td className="num">{price(p.output)}</td>
              <td className="num">{price(p.cached_input)}</td>
              <td className="num">{price(p.reasoning)}</td>
              <td>{p.source === 'project' ? 'this project' : 'server'}</td>
              <td>
                {admin && p.source === 'project' ? (
                  <button type="button" onClick={() => remove(p)}>
                    Remove
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
