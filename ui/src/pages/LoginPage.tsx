import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, auth } from '../api';
import type { Me, Providers } from '../types';

export function LoginPage({ onLogin }: { onLogin: (me: Me) => void }) {
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [providers, setProviders] = useState<Providers | null>(null);
  // a single sign-on that failed comes back here with the reason
  const ssoError = new URLSearchParams(window.location.search).get('sso_error');

  useEffect(() => {
    auth.providers().then(setProviders, () => setProviders(null));
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onLogin(await auth.login(username, password));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError('Wrong user name or password.');
      else if (err instanceof ApiError && err.status === 429) setError('Too many attempts. Wait a little and try again.');
      else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <form className="login-card" onSubmit={submit} aria-label="Sign in">
        <div className="brand big">
          <span className="brand-mark" aria-hidden="true">
            ◭
          </span>{' '}
          Sextant
        </div>
        <p className="muted">Sign in to see your agents’ runs.</p>
        <label className="field">
          <span className="field-label">User</span>
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label className="field">
          <span className="field-label">Password</span>
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required autoFocus />
        </label>
        {ssoError ? (
          <div className="error-box" role="alert">
            Single sign-on failed: {ssoError}
          </div>
        ) : null}
        {error ? (
          <div className="error-box" role="alert">
            {error}
          </div>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {providers?.oidc ? (
          <a className="button sso-button" href={providers.oidc.login_path}>
            Sign in with {providers.oidc.name}
          </a>
        ) : null}
        <p className="muted small">
          The password of user <code>admin</code> is set by <code>SEXTANT_BOOTSTRAP_ADMIN_PASSWORD</code> on first start, or printed once in the server log.
        </p>
      </form>
    </div>
  );
}
