import { useState, type FormEvent } from 'react';
import { alertsApi } from '../api';
import { useApp } from '../context';
import { useAsync } from '../hooks';
import type { AlertKind, AlertRule, AlertRuleInput } from '../types';

const KINDS: { kind: AlertKind; label: string }[] = [
  { kind: 'budget', label: 'Budget' },
  { kind: 'error_rate', label: 'Error rate' },
  { kind: 'latency_p95', label: 'p95 latency' },
  { kind: 'failure_count', label: 'Failure count' },
  { kind: 'no_data', label: 'No data' },
  { kind: 'version_worse', label: 'Version worse than baseline' },
];

export type RuleForm = Record<string, string>;

export const EMPTY_RULE: RuleForm = {
  name: '', kind: 'budget', agent: '', environment: '', step_type: '', failure_type: '', failure_code: '',
  period: 'day', amount_usd: '', thresholds: '80, 100', window_minutes: '15', min_runs: '10', threshold: '',
  for_minutes: '0', channels: '', version: '', baseline: '', metric: 'error_rate',
};

/** The rule a form describes; an Error says which field to fix. */
export function parseRuleForm(f: RuleForm): AlertRuleInput {
  const name = f.name.trim();
  if (!name) throw new Error('Name: give the rule a name.');
  const kind = f.kind as AlertKind;
  const num = (field: string, label: string, min: number): number => {
    const v = Number(f[field].trim());
    if (f[field].trim() === '' || !Number.isFinite(v) || v < min) throw new Error(`${label}: enter a number of ${min} or more.`);
    return v;
  };
  const text = (field: string) => f[field].trim() || null;
  const rule: AlertRuleInput = {
    name, kind, agent: text('agent'), environment: text('environment'),
    for_seconds: Math.round(num('for_minutes', 'For (minutes)', 0) * 60),
    channels: f.channels.split(',').map((c) => c.trim()).filter((c) => c !== ''),
  };
  if (kind === 'budget') {
    rule.period = f.period as 'day' | 'week' | 'month';
    rule.amount_usd = num('amount_usd', 'Budget (USD)', 0.000001);
    const pcts = f.thresholds.split(',').map((t) => Number(t.trim()));
    if (pcts.length === 0 || pcts.some((p) => !Number.isFinite(p) || p <= 0)) {
      throw new Error('Thresholds: enter percentages of the budget separated by commas, e.g. 80, 100.');
    }
    rule.thresholds = pcts.map((p) => p / 100);
    return rule;
  }
  rule.window_seconds = Math.round(num('window_minutes', 'Window (minutes)', 1) * 60);
  if (kind === 'no_data') {
    if (!rule.agent) throw new Error('Agent: a no-data rule watches one agent.');
    return rule;
  }
  if (kind === 'version_worse') {
    if (!rule.agent) throw new Error('Agent: a version rule watches one agent.');
    rule.version = text('version');
    rule.baseline = text('baseline');
    if (!rule.version || !rule.baseline) throw new Error('Version and Baseline: name the version watched and the one it is compared with.');
    rule.metric = f.metric as 'error_rate' | 'latency_p95' | 'cost_per_run';
    return rule;
  }
  if (kind === 'error_rate') {
    rule.threshold = num('threshold', 'Threshold (%)', 0) / 100;
    if (rule.threshold > 1) throw new Error('Threshold (%): enter a percentage from 0 to 100.');
    rule.min_runs = Math.round(num('min_runs', 'Minimum runs', 1));
  } else if (kind === 'latency_p95') {
    rule.threshold = num('threshold', 'Threshold (ms)', 1);
    rule.step_type = text('step_type');
  } else {
    rule.threshold = num('threshold', 'Threshold (failures)', 1);
    rule.failure_type = text('failure_type');
    rule.failure_code = text('failure_code');
  }
  return rule;
}

/** The form of an existing rule. */
export function ruleToForm(r: AlertRule): RuleForm {
  return {
    ...EMPTY_RULE, name: r.name, kind: r.kind, agent: r.agent ?? '', environment: r.environment ?? '',
    step_type: r.step_type ?? '', failure_type: r.failure_type ?? '', failure_code: r.failure_code ?? '',
    period: r.period ?? 'day', amount_usd: r.amount_usd == null ? '' : String(r.amount_usd),
    thresholds: r.thresholds.length ? r.thresholds.map((t) => String(Math.round(t * 100))).join(', ') : EMPTY_RULE.thresholds,
    window_minutes: r.window_seconds ? String(r.window_seconds / 60) : EMPTY_RULE.window_minutes,
    min_runs: String(r.min_runs || 1),
    threshold: r.threshold == null ? '' : String(r.kind === 'error_rate' ? r.threshold * 100 : r.threshold),
    for_minutes: String(r.for_seconds / 60), channels: r.channels.join(', '),
    version: r.version ?? '', baseline: r.baseline ?? '', metric: r.metric ?? 'error_rate',
  };
}

function describe(r: AlertRule): string {
  const scope = [r.agent ? `agent ${r.agent}` : 'all agents', r.environment ? `in ${r.environment}` : ''].join(' ').trim();
  const w = `${r.window_seconds / 60} min`;
  switch (r.kind) {
    case 'budget':
      return `${scope}: $${r.amount_usd} per ${r.period}, at ${r.thresholds.map((t) => `${Math.round(t * 100)}%`).join(' and ')}`;
    case 'error_rate':
      return `${scope}: error rate above ${(r.threshold ?? 0) * 100}% over ${w} (at least ${r.min_runs} runs)`;
    case 'latency_p95':
      return `${scope}: p95 of ${r.step_type ? `${r.step_type} steps` : 'runs'} above ${r.threshold} ms over ${w}`;
    case 'failure_count':
      return `${scope}: ${r.threshold}+ failures ${[r.failure_type, r.failure_code].filter(Boolean).join('/')} over ${w}`;
    case 'version_worse':
      return `${scope}: ${r.version} worse than ${r.baseline} on ${(r.metric ?? 'error_rate').replace(/_/g, ' ')} over ${w}`;
    default:
      return `${scope}: silent for ${w}`;
  }
}

const EMPTY_CHANNEL = { name: '', type: 'webhook', url: '', secret: '' };

/** `/alerts`: the project's rules, the alerts pending or firing, history, silences and channels. */
export function AlertsPage() {
  const { me, project } = useApp();
  const id = project.project_id;
  const admin = me.owner || me.projects.find((p) => p.project_id === id)?.role === 'admin';
  const api = alertsApi(id);
  const [version, setVersion] = useState(0);
  const key = `${id}:${version}`;
  const rules = useAsync(() => api.rules(), `rules:${key}`);
  const current = useAsync(() => api.current(), `current:${key}`);
  const history = useAsync(() => api.history(), `history:${key}`);
  const silences = useAsync(() => api.silences(), `silences:${key}`);
  const channels = useAsync(() => api.channels(), `channels:${key}`);
  const deliveries = useAsync(() => api.deliveries(), `deliveries:${key}`);
  const [form, setForm] = useState<RuleForm>(EMPTY_RULE);
  const [editing, setEditing] = useState<string | null>(null);
  const [channel, setChannel] = useState(EMPTY_CHANNEL);
  const [editingChannel, setEditingChannel] = useState<string | null>(null);
  const [silence, setSilence] = useState({ rule_id: '', hours: '1', comment: '' });
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  const act = async (what: () => Promise<string>) => {
    setError(null);
    setStatus(null);
    try {
      setStatus(await what());
      setVersion((v) => v + 1);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const saveRule = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const rule = parseRuleForm(form);
      if (editing) await api.updateRule(editing, rule);
      else await api.createRule(rule);
      setForm(EMPTY_RULE);
      setEditing(null);
      return `Saved rule ${rule.name}.`;
    });
  };
  const saveChannel = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const secret = channel.secret.trim();
      // editing: a blank secret keeps the channel's secret (it is never shown)
      const c = editingChannel
        ? await api.updateChannel(editingChannel, secret ? { ...channel, secret } : { name: channel.name, type: channel.type, url: channel.url })
        : await api.createChannel({ ...channel, secret: secret || null });
      setChannel(EMPTY_CHANNEL);
      setEditingChannel(null);
      return `${editingChannel ? 'Saved' : 'Created'} channel ${c.name} (${c.id}).`;
    });
  };
  const saveSilence = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const hours = Number(silence.hours);
      if (!Number.isFinite(hours) || hours <= 0) throw new Error('Hours: enter how long to silence, more than 0.');
      const ends = new Date(Date.now() + hours * 3_600_000).toISOString();
      await api.createSilence({ rule_id: silence.rule_id || null, ends_at: ends, comment: silence.comment.trim() || null });
      return `Silenced until ${ends}.`;
    });
  };
  const field = (name: string, label: string, placeholder = '') => (
    <label className="field">
      <span className="field-label">{label}</span>
      <input name={name} value={form[name]} placeholder={placeholder} onChange={(e) => setForm({ ...form, [name]: e.target.value })} />
    </label>
  );
  const kind = form.kind;
  const ruleName = (rid: string | null) => (rid === null ? 'every rule' : rules.data?.rules.find((r) => r.id === rid)?.name ?? rid);

  return (
    <div className="page alerts-page">
      <h1>Alerts</h1>
      {error ? <div className="error-box" role="alert">{error}</div> : null}
      {status ? <p role="status">{status}</p> : null}

      <section aria-label="Current alerts">
        <h2>Now</h2>
        {current.data && current.data.alerts.length === 0 ? <p className="muted">No alert is pending or firing.</p> : null}
        <table className="compact-table">
          <tbody>
            {(current.data?.alerts ?? []).map((a) => (
              <tr key={`${a.rule_id}:${a.key}`}>
                <td><span className={`badge ${a.state}`}>{a.state}</span>{a.silenced ? ' (silenced)' : ''}</td>
                <td>{a.rule_name}{a.key ? ` — ${a.key}%` : ''}</td>
                <td className="num">{a.value.toFixed(3)} / {a.threshold.toFixed(3)}</td>
                <td>since {a.since}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-label="Rules">
        <h2>Rules</h2>
        {rules.error ? <p className="error-box">{rules.error.message}</p> : null}
        <table className="compact-table">
          <tbody>
            {(rules.data?.rules ?? []).map((r) => (
              <tr key={r.id}>
                <td>{r.name}</td>
                <td>{KINDS.find((k) => k.kind === r.kind)?.label}</td>
                <td>{describe(r)}{r.for_seconds ? `, for ${r.for_seconds / 60} min` : ''}</td>
                <td>
                  {admin ? (
                    <>
                      <button type="button" onClick={() => { setEditing(r.id); setForm(ruleToForm(r)); }}>Edit</button>{' '}
                      <button type="button" onClick={() => act(async () => { await api.deleteRule(r.id); return `Deleted ${r.name}.`; })}>Delete</button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {admin ? (
          <form className="settings-form" onSubmit={saveRule} aria-label={editing ? 'Edit rule' : 'New rule'}>
            <h3>{editing ? 'Edit rule' : 'New rule'}</h3>
            {field('name', 'Name', 'daily spend')}
            <label className="field">
              <span className="field-label">Kind</span>
              <select name="kind" value={kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
                {KINDS.map((k) => <option key={k.kind} value={k.kind}>{k.label}</option>)}
              </select>
            </label>
            {field('agent', 'Agent', kind === 'no_data' || kind === 'version_worse' ? 'required' : 'all agents')}
            {field('environment', 'Environment', 'all')}
            {kind === 'budget' ? (
              <>
                <label className="field">
                  <span className="field-label">Period</span>
                  <select name="period" value={form.period} onChange={(e) => setForm({ ...form, period: e.target.value })}>
                    <option value="day">day</option>
                    <option value="week">week</option>
                    <option value="month">month</option>
                  </select>
                </label>
                {field('amount_usd', 'Budget (USD)', '50')}
                {field('thresholds', 'Thresholds (%)', '80, 100')}
              </>
            ) : (
              field('window_minutes', kind === 'no_data' ? 'Silent for (minutes)' : 'Window (minutes)')
            )}
            {kind === 'error_rate' ? <>{field('threshold', 'Threshold (%)', '10')}{field('min_runs', 'Minimum runs')}</> : null}
            {kind === 'latency_p95' ? <>{field('threshold', 'Threshold (ms)', '5000')}{field('step_type', 'Step type', 'runs')}</> : null}
            {kind === 'failure_count' ? (
              <>{field('threshold', 'Threshold (failures)', '5')}{field('failure_type', 'Failure type', 'any')}{field('failure_code', 'Failure code', 'any')}</>
            ) : null}
            {kind === 'version_worse' ? (
              <>
                {field('version', 'Version', 'v2')}
                {field('baseline', 'Baseline', 'v1')}
                <label className="field">
                  <span className="field-label">Metric</span>
                  <select name="metric" value={form.metric} onChange={(e) => setForm({ ...form, metric: e.target.value })}>
                    <option value="error_rate">error rate</option>
                    <option value="latency_p95">p95 latency</option>
                    <option value="cost_per_run">cost per run</option>
                  </select>
                </label>
              </>
            ) : null}
            {kind !== 'budget' ? field('for_minutes', 'For (minutes)') : null}
            {field('channels', 'Channel ids', 'comma separated')}
            <button type="submit">{editing ? 'Save rule' : 'Create rule'}</button>
            {editing ? <button type="button" onClick={() => { setEditing(null); setForm(EMPTY_RULE); }}>Cancel</button> : null}
          </form>
        ) : <p className="muted">A project admin changes rules.</p>}
      </section>

      <section aria-label="Channels">
        <h2>Channels</h2>
        <table className="compact-table">
          <tbody>
            {(channels.data?.channels ?? []).map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td><code>{c.id}</code></td>
                <td>{c.type}</td>
                <td>{c.url}</td>
                <td>{c.has_secret ? 'signed' : 'unsigned'}</td>
                <td>
                  {admin ? (
                    <>
                      <button type="button" onClick={() => act(async () => {
                        const d = await api.testChannel(c.id);
                        if (d.status !== 'delivered') throw new Error(`Test to ${c.name} failed after ${d.attempts} attempt(s): ${d.error ?? ''}`);
                        return `Test delivered to ${c.name} (HTTP ${d.response_code}).`;
                      })}>Send test</button>{' '}
                      <button type="button" onClick={() => {
                        setEditingChannel(c.id);
                        setChannel({ name: c.name, type: c.type, url: c.url, secret: '' });
                      }}>Edit</button>{' '}
                      <button type="button" onClick={() => act(async () => { await api.deleteChannel(c.id); return `Deleted ${c.name}.`; })}>Delete</button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {admin ? (
          <form className="settings-form" onSubmit={saveChannel} aria-label={editingChannel ? 'Edit channel' : 'New channel'}>
            <label className="field"><span className="field-label">Name</span>
              <input value={channel.name} onChange={(e) => setChannel({ ...channel, name: e.target.value })} /></label>
            <label className="field"><span className="field-label">Type</span>
              <select value={channel.type} onChange={(e) => setChannel({ ...channel, type: e.target.value })}>
                <option value="webhook">webhook</option>
                <option value="slack">Slack</option>
              </select></label>
            <label className="field"><span className="field-label">URL</span>
              <input value={channel.url} placeholder="https://" onChange={(e) => setChannel({ ...channel, url: e.target.value })} /></label>
            <label className="field"><span className="field-label">Secret</span>
              <input value={channel.secret} placeholder={editingChannel ? 'blank keeps the current secret' : 'optional, signs the body'} onChange={(e) => setChannel({ ...channel, secret: e.target.value })} /></label>
            <button type="submit">{editingChannel ? 'Save channel' : 'Create channel'}</button>
            {editingChannel ? (
              <button type="button" onClick={() => { setEditingChannel(null); setChannel(EMPTY_CHANNEL); }}>Cancel</button>
            ) : null}
          </form>
        ) : null}
      </section>

      <section aria-label="Silences">
        <h2>Silences</h2>
        <table className="compact-table">
          <tbody>
            {(silences.data?.silences ?? []).filter((s) => s.active).map((s) => (
              <tr key={s.id}>
                <td>{ruleName(s.rule_id)}</td>
                <td>until {s.ends_at}</td>
                <td>{s.comment ?? ''}</td>
                <td>{admin ? <button type="button" onClick={() => act(async () => { await api.deleteSilence(s.id); return 'Silence ended.'; })}>End</button> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {admin ? (
          <form className="settings-form" onSubmit={saveSilence} aria-label="New silence">
            <label className="field"><span className="field-label">Rule</span>
              <select value={silence.rule_id} onChange={(e) => setSilence({ ...silence, rule_id: e.target.value })}>
                <option value="">every rule</option>
                {(rules.data?.rules ?? []).map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
              </select></label>
            <label className="field"><span className="field-label">Hours</span>
              <input value={silence.hours} onChange={(e) => setSilence({ ...silence, hours: e.target.value })} /></label>
            <label className="field"><span className="field-label">Comment</span>
              <input value={silence.comment} onChange={(e) => setSilence({ ...silence, comment: e.target.value })} /></label>
            <button type="submit">Silence</button>
          </form>
        ) : null}
      </section>

      <section aria-label="History">
        <h2>History</h2>
        <table className="compact-table">
          <tbody>
            {(history.data?.history ?? []).map((h, i) => (
              <tr key={i}>
                <td>{h.at}</td>
                <td>{h.from} → {h.to}{h.silenced ? ' (silenced)' : ''}</td>
                <td>{h.summary}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-label="Deliveries">
        <h2>Deliveries</h2>
        <table className="compact-table">
          <tbody>
            {(deliveries.data?.deliveries ?? []).map((d, i) => (
              <tr key={i}>
                <td>{d.at}</td>
                <td>{d.channel_id}</td>
                <td>{d.rule_id} {d.state}</td>
                <td>{d.status}</td>
                <td className="num">{d.response_code ?? '—'}</td>
                <td className="num">{d.attempts} attempt(s)</td>
                <td>{d.error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
