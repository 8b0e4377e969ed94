import { useCallback, useEffect, useMemo, useState } from 'react';
import { AuditLog } from '../access/AuditLog';
import { Members } from '../access/Members';
import { accessApi } from '../api';
import { useApp } from '../context';
import type { ApiKey, Invite } from '../types';

/** `/access`: the current project's API keys, invite links, members and audit log, as far as the user's role allows. */
export function AccessPage() {
  const { me, project } = useApp();
  const api = useMemo(() => accessApi(project.project_id), [project.project_id]);
  const role = me.owner ? 'admin' : me.projects.find((p) => p.project_id === project.project_id)?.role ?? 'viewer';
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const [invite, setInvite] = useState<Invite | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fail = (e: unknown) => setError(e instanceof Error ? e.message : String(e));

  const load = useCallback(() => {
    if (role !== 'viewer') api.keys().then((r) => setKeys(r.api_keys), fail);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [project.project_id, role]);
  useEffect(load, [load]);

  if (role === 'viewer') {
    return (
      <div className="page">
        <h1>Access</h1>
        <p className="muted">Your role in this project is viewer. A member or admin manages its API keys.</p>
      </div>
    );
  }
  const createKey = () => api.createKey(['ingest'], 'from the web UI').then((k) => {
    setCreated(k.secret);
    load();
  }, fail);
  const revoke = (k: ApiKey) => api.revokeKey(k.public_id).then(load, fail);
  const newInvite = (r: string) => api.invite(r).then(setInvite, fail);

  return (
    <div className="page">
      <h1>Access</h1>
      {error ? (
        <div className="error-box" role="alert">
          {error}
        </div>
      ) : null}
      <section aria-label="API keys">
        <h2>API keys</h2>
        <button type="button" onClick={createKey}>
          New ingest key
        </button>
        {created ? (
          <p role="status">
            Secret (shown once): <code>{created}</code>
          </p>
        ) : null}
        <table className="table">
          <thead>
            <tr>
              <th>Public id</th>
              <th>Name</th>
              <th>Scopes</th>
              <th>Created by</th>
              <th>Created</th>
              <th>Last used</th>
              <th>Expires</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(keys ?? []).map((k) => (
              <tr key={k.public_id}>
                <td>
                  <code>{k.public_id}</code>
                </td>
                <td>{k.name ?? ''}</td>
                <td>{k.scopes.join(', ')}</td>
                <td>{k.created_by ?? ''}</td>
                <td>{k.created_at}</td>
                <td>{k.last_used_at ?? 'never'}</td>
                <td>{k.expires_at ?? 'never'}</td>
                <td>{k.status}</td>
                <td>
                  {k.status === 'active' ? (
                    <button type="button" onClick={() => revoke(k)} aria-label={`Revoke ${k.public_id}`}>
                      Revoke
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {role === 'admin' ? (
        <>
          <section aria-label="Invites">
            <h2>Invite someone</h2>
            {(['viewer', 'member', 'admin'] as const).map((r) => (
              <button type="button" key={r} onClick={() => newInvite(r)}>
                Invite as {r}
              </button>
            ))}
            {invite?.path ? (
              <p role="status">
                One-time link, valid until {invite.expires_at}: <code>{window.location.origin + invite.path}</code>
              </p>
            ) : null}
          </section>
          <Members api={api} onError={fail} />
          <AuditLog api={api} onError={fail} />
        </>
      ) : null}
    </div>
  );
}
