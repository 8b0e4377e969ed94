import { useEffect, useState, type FormEvent } from 'react';
import { projectSettingsApi } from '../api';
import { useApp } from '../context';
import { PricesSection } from './PricesSection';

/** Days as typed: empty is the server's default (null), else a whole number from 0 (forever). */
function parseDays(text: string, what: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  if (!/^\d+$/.test(t)) throw new Error(`${what}: enter whole days (0 keeps forever), or leave it empty for the server's default.`);
  return Number(t);
}

const shown = (days: number | null | undefined) => (days === null || days === undefined ? '' : String(days));

function describe(days: number | null | undefined): string {
  if (days === null || days === undefined) return "the server's default";
  return days === 0 ? 'forever' : `${days} day${days === 1 ? '' : 's'}`;
}

/** `/settings`: the current project's retention and model prices, which its admins change. */
export function SettingsPage() {
  const { me, project, refreshMe } = useApp();
  const admin = me.owner || me.projects.find((p) => p.project_id === project.project_id)?.role === 'admin';
  const [raw, setRaw] = useState(shown(project.raw_retention_days));
  const [rollup, setRollup] = useState(shown(project.rollup_retention_days));
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    setRaw(shown(project.raw_retention_days));
    setRollup(shown(project.rollup_retention_days));
  }, [project.project_id, project.raw_retention_days, project.rollup_retention_days]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setStatus(null);
    setError(null);
    let change;
    try {
      change = { raw_retention_days: parseDays(raw, 'Raw runs and steps'), rollup_retention_days: parseDays(rollup, 'Rollups') };
    } catch (err) {
      setError((err as Error).message);
      return;
    }
    setSaving(true);
    try {
      const saved = await projectSettingsApi(project.project_id).update(change);
      setStatus(`Saved: raw runs and steps are kept ${describe(saved.raw_retention_days)}, rollups ${describe(saved.rollup_retention_days)}.`);
      refreshMe();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="page settings-page">
      <h1>Settings</h1>
      <section aria-label="Retention">
        <h2>Retention</h2>
        <p className="muted">
          Raw runs and steps older than their retention are deleted in the background. The dashboard and compare keep
          counting them from rollups, which are kept for their own, usually longer, retention. Empty: the server&apos;s
          default; 0: keep forever.
        </p>
        {error ? (
          <div className="error-box" role="alert">
            {error}
          </div>
        ) : null}
        <form className="settings-form" onSubmit={save}>
          <label className="field">
            <span className="field-label">Raw runs and steps (days)</span>
            <input name="raw_retention_days" inputMode="numeric" value={raw} placeholder="server default" disabled={!admin} onChange={(e) => setRaw(e.target.value)} />
          </label>
          <label className="field">
            <span className="field-label">Rollups (days)</span>
            <input name="rollup_retention_days" inputMode="numeric" value={rollup} placeholder="server default" disabled={!admin} onChange={(e) => setRollup(e.target.value)} />
          </label>
          {admin ? (
            <button type="submit" disabled={saving}>
              Save retention
            </button>
          ) : (
            <p className="muted">A project admin changes these.</p>
          )}
        </form>
        {status ? <p role="status">{status}</p> : null}
      </section>
      <PricesSection project={project.project_id} admin={admin} />
    </div>
  );
}
