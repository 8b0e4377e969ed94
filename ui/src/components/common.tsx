import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api';
import { shortId } from '../format';

/** An id shown short, copied whole with one click. */
export function CopyId({ value, label, full = false }: { value: string | null | undefined; label?: string; full?: boolean }) {
  const [copied, setCopied] = useState(false);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  if (!value) return <span className="muted">–</span>;
  const copy = async (e: React.MouseEvent) => {
    e.stopPropagation();
    e.preventDefault();
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // Clipboard refused (insecure context): select the text so the user can copy it by hand.
      const el = (e.currentTarget as HTMLElement).previousElementSibling;
      if (el) window.getSelection()?.selectAllChildren(el);
    }
    setCopied(true);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setCopied(false), 1500);
  };
  return (
    <span className="copy-id" title={value}>
      <code>{full ? value : shortId(value)}</code>
      <button type="button" className="icon-button" onClick={copy} aria-label={`Copy ${label ?? 'id'} ${value}`} title={`Copy ${label ?? 'id'}`}>
        {copied ? <span aria-hidden="true">✓</span> : <CopyIcon />}
      </button>
    </span>
  );
}

export function StatusBadge({ status }: { status: string | null | undefined }) {
  const s = status ?? 'unknown';
  return <span className={`badge status-${s.replace(/[^a-z_-]/gi, '')}`}>{s}</span>;
}

export function FailureTag({ type, code }: { type: string | null | undefined; code: string | null | undefined }) {
  if (!type && !code) return <span className="muted">–</span>;
  return (
    <span className="failure-tag">
      {type ?? 'unknown'}
      {code ? <span className="failure-code">/{code}</span> : null}
    </span>
  );
}

export function ErrorBox({ error, retry }: { error: Error; retry?: () => void }) {
  const status = error instanceof ApiError ? error.status : 0;
  let hint: string | null = null;
  if (status === 403) hint = 'This session may not read the selected project.';
  else if (status === 404) hint = 'It may have been deleted by retention, or the link points to another project.';
  else if (status >= 500) hint = 'The server failed; its log has the details.';
  return (
    <div className="error-box" role="alert">
      <strong>{status ? `Error ${status}` : 'Error'}:</strong> {error.message}
      {hint ? <div className="muted">{hint}</div> : null}
      {retry ? (
        <button type="button" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function SkeletonRows({ rows = 8 }: { rows?: number }) {
  return (
    <div className="skeleton" aria-hidden="true">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton-row" />
      ))}
    </div>
  );
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      {children}
    </label>
  );
}

export function Stat({ label, value, hint }: { label: string; value: ReactNode; hint?: ReactNode }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      {hint ? <div className="stat-hint">{hint}</div> : null}
    </div>
  );
}

function CopyIcon() {
  return (
    <svg className="copy-icon" viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
      <rect x="5" y="5" width="9" height="9" rx="1.5" />
      <path d="M11 5V3.5A1.5 1.5 0 0 0 9.5 2h-6A1.5 1.5 0 0 0 2 3.5v6A1.5 1.5 0 0 0 3.5 11H5" />
    </svg>
  );
}
