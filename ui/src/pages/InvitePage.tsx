import { useEffect, useState, type FormEvent } from 'react';
import { auth } from '../api';
import type { Invite, Me } from '../types';

/** `/invite#<token>`: redeem a one-time invite link, then sign in with the new account. */
export function InvitePage({ onLogin }: { onLogin: (me: Me) => void }) {
  // the token is in the fragment, which the browser never sends to the server
  const token = window.location.hash.replace(/^#/, '');
  const [invite, setInvite] = useState<Invite | null>(null);
  const [error, setError] = useState<string | null>(token ? null : 'This link has no invite token.');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!token) return;
    auth.inspectInvite(token).then(setInvite, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [token]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await auth.acceptInvite(token, username, password);
      onLogin(await auth.login(username, password));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <form className="login-card" onSubmit={submit} aria-label="Accept invite">
        <div className="brand big">Join Sextant</div>
        {invite ? (
          <p className="muted">
            You are invited to project <strong>{invite.project_name ?? invite.project_id}</strong> as <strong>{invite.role}</strong>. Choose a user
            name and a password (at least 10 characters).
          </p>
        ) : null}
        <label className="field">
          <span className="field-label">User</span>
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label className="field">
          <span className="field-label">New password</span>
          <input name="password" type="password" autoComplete="new-password" minLength={10} value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error ? (
          <div className="error-box" role="alert">
            {error}
          </div>
        ) : null}
        <button type="submit" className="primary" disabled={busy || !invite}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
      </form>
    </div>
  );
}
