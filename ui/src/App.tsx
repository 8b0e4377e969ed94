import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, auth, onUnauthorized, projectApi } from './api';
import { ErrorBox, Loading } from './components/common';
import { AppContext, type AppState } from './context';
import { UsersPage } from './access/UsersPage';
import { AccessPage } from './pages/AccessPage';
import { ComparePage } from './pages/ComparePage';
import { DashboardPage } from './pages/DashboardPage';
import { GettingStarted } from './pages/GettingStarted';
import { InvitePage } from './pages/InvitePage';
import { LoginPage } from './pages/LoginPage';
import { RunDetailPage } from './pages/RunDetailPage';
import { RunsPage } from './pages/RunsPage';
import { SettingsPage } from './pages/SettingsPage';
import { AlertsPage } from './pages/AlertsPage';
import { Link, href, navigate, useLocation } from './router';
import { applyTheme, storedTheme, type Theme } from './theme';
import type { Me } from './types';

const PROJECT_KEY = 'sextant.project';

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [error, setError] = useState<Error | null>(null);
  const { pathname, search } = useLocation();

  const loadMe = useCallback(() => {
    auth.me().then(
      (m) => {
        setMe(m);
        setError(null);
      },
      (e: unknown) => {
        if (e instanceof ApiError && e.status === 401) setMe(null);
        else setError(e instanceof Error ? e : new Error(String(e)));
      },
    );
  }, []);
  useEffect(loadMe, [loadMe]);
  useEffect(() => onUnauthorized(() => setMe(null)), []);

  if (error && me === undefined) {
    return (
      <div className="page">
        <ErrorBox error={error} retry={loadMe} />
      </div>
    );
  }
  if (me === undefined) return <Loading label="Connecting to Sextant…" />;
  if (me === null && pathname === '/invite') {
    return (
      <InvitePage
        onLogin={(m) => {
          setMe(m);
          navigate('/runs', { replace: true });
        }}
      />
    );
  }
  if (me === null) {
    return (
      <LoginPage
        onLogin={(m) => {
          setMe(m);
          if (pathname === '/login') navigate('/runs', { replace: true });
        }}
      />
    );
  }
  return <Shell me={me} pathname={pathname} search={search} refreshMe={loadMe} onLogout={() => setMe(null)} />;
}

function chooseProject(me: Me, requested: string | null): string {
  if (requested) return requested;
  let remembered: string | null = null;
  try {
    remembered = window.localStorage.getItem(PROJECT_KEY);
  } catch {
    remembered = null;
  }
  if (remembered && me.projects.some((p) => p.project_id === remembered)) return remembered;
  return me.projects.find((p) => p.project_id === 'default')?.project_id ?? me.projects[0]?.project_id ?? 'default';
}

function Shell({ me, pathname, search, refreshMe, onLogout }: { me: Me; pathname: string; search: URLSearchParams; refreshMe: () => void; onLogout: () => void }) {
  const projectId = chooseProject(me, search.get('project'));
  const project = me.projects.find((p) => p.project_id === projectId);
  const [theme, setTheme] = useState<Theme>(storedTheme);
  const [help, setHelp] = useState(false);
  useEffect(() => applyTheme(theme), [theme]);

  // A project created after sign-in (or named in a shared link) is not in the list yet: ask again.
  const [refreshedFor, setRefreshedFor] = useState<string | null>(null);
  useEffect(() => {
    if (!project && refreshedFor !== projectId) {
      setRefreshedFor(projectId);
      refreshMe();
    }
  }, [project, projectId, refreshedFor, refreshMe]);
  useEffect(() => {
    if (project) {
      try {
        window.localStorage.setItem(PROJECT_KEY, project.project_id);
      } catch {
        // ignore
      }
    }
  }, [project]);

  useEffect(() => {
    let pendingG = false;
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      if (e.key === '?') {
        setHelp((h) => !h);
        return;
      }
      if (e.key === 'Escape') setHelp(false);
      if (e.key === '/') {
        const box = document.querySelector<HTMLInputElement>('input[name="q"]');
        if (box) {
          e.preventDefault();
          box.focus();
        }
        return;
      }
      if (pendingG) {
        pendingG = false;
        const to = { r: '/runs', d: '/dashboard', c: '/compare', s: '/start' }[e.key];
        if (to) navigate(href(to, { project: projectId }));
        return;
      }
      if (e.key === 'g') pendingG = true;
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [projectId]);

  const state: AppState | null = useMemo(
    () => (project ? { me, project, api: projectApi(project.project_id), refreshMe } : null),
    [me, project, refreshMe],
  );

  const switchProject = (id: string) => {
    const base = pathname.startsWith('/runs/') || pathname === '/' || pathname === '/login' ? '/runs' : pathname;
    navigate(href(base, { project: id }));
  };
  const logout = async () => {
    try {
      await auth.logout();
    } finally {
      onLogout();
    }
  };

  const nav = (to: string, label: string) => {
    const active = pathname === to || (to === '/runs' && (pathname === '/' || pathname.startsWith('/runs/')));
    return (
      <Link to={href(to, { project: projectId })} className={active ? 'active' : undefined} aria-current={active ? 'page' : undefined}>
        {label}
      </Link>
    );
  };

  return (
    <div className="app">
      <header className="topbar">
        <Link to={href('/runs', { project: projectId })} className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◭
          </span>{' '}
          Sextant
        </Link>
        <nav className="main-nav" aria-label="Main">
          {nav('/runs', 'Runs')}
          {nav('/dashboard', 'Dashboard')}
          {nav('/compare', 'Compare')}
          {nav('/alerts', 'Alerts')}
          {nav('/start', 'Get started')}
          {nav('/access', 'Access')}
          {nav('/settings', 'Settings')}
          {me.owner ? nav('/users', 'Users') : null}
        </nav>
        <div className="topbar-right">
          <label className="project-switch">
            <span className="muted">Project</span>
            <select aria-label="Project" value={projectId} onChange={(e) => switchProject(e.target.value)}>
              {project ? null : <option value={projectId}>{projectId}</option>}
              {me.projects.map((p) => (
                <option key={p.project_id} value={p.project_id}>
                  {p.name && p.name !== p.project_id ? `${p.name} (${p.project_id})` : p.project_id}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="icon-button theme-toggle"
            onClick={() => setTheme(theme === 'system' ? 'light' : theme === 'light' ? 'dark' : 'system')}
            title={`Theme: ${theme} (click to change)`}
            aria-label={`Theme: ${theme}`}
          >
            {theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐'}
          </button>
          <button type="button" className="icon-button" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">
            ?
          </button>
          <span className="user">{me.username}</span>
          <button type="button" onClick={logout}>
            Sign out
          </button>
        </div>
      </header>
      <main>
        {state ? (
          <AppContext.Provider value={state}>
            <Routes pathname={pathname} projectId={projectId} />
          </AppContext.Provider>
        ) : refreshedFor === projectId ? (
          <div className="page">
            <div className="error-box" role="alert">
              Project “{projectId}” does not exist, or this session may not read it.{' '}
              <Link to={href('/runs', { project: me.projects[0]?.project_id ?? 'default' })}>Go to {me.projects[0]?.project_id ?? 'default'}</Link>
            </div>
          </div>
        ) : (
          <Loading />
        )}
      </main>
      {help ? <ShortcutHelp onClose={() => setHelp(false)} /> : null}
    </div>
  );
}

function Routes({ pathname, projectId }: { pathname: string; projectId: string }) {
  if (pathname === '/' || pathname === '/runs' || pathname === '/login') return <RunsPage />;
  const run = /^\/runs\/([^/]+)$/.exec(pathname);
  if (run) return <RunDetailPage runId={decodeURIComponent(run[1])} />;
  if (pathname === '/dashboard') return <DashboardPage />;
  if (pathname === '/compare') return <ComparePage />;
  if (pathname === '/access') return <AccessPage />;
  if (pathname === '/settings') return <SettingsPage />;
  if (pathname === '/alerts') return <AlertsPage />;
  if (pathname === '/users') return <UsersPage />;
  if (pathname === '/start')
    return (
      <div className="page">
        <GettingStarted project={projectId} />
      </div>
    );
  return (
    <div className="page">
      <h1>Not found</h1>
      <p>
        Nothing lives at <code>{pathname}</code>. <Link to={href('/runs', { project: projectId })}>Go to runs</Link>
      </p>
    </div>
  );
}

const SHORTCUTS: [string, string][] = [
  ['?', 'show or hide this help'],
  ['/', 'search runs'],
  ['g then r / d / c / s', 'go to Runs, Dashboard, Compare, Get started'],
  ['↑ ↓ or j k', 'move through the step tree'],
  ['← →  or h l', 'collapse / expand a step, go to its parent'],
  ['Home End PgUp PgDn', 'jump in the step tree'],
  ['Enter / Space', 'expand or collapse the selected step'],
  ['f', 'go to the step that failed the run'],
  ['Esc', 'close the step panel'],
];

function ShortcutHelp({ onClose }: { onClose: () => void }) {
  return (
    <div className="overlay" onClick={onClose}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" onClick={(e) => e.stopPropagation()}>
        <div className="panel-head">
          <h2 className="panel-title">Keyboard shortcuts</h2>
          <button type="button" className="icon-button close" onClick={onClose} aria-label="Close">
            ✕
          </button>
        </div>
        <dl className="kv shortcuts">
          {SHORTCUTS.map(([k, v]) => (
            <div key={k} className="kv-pair">
              <dt>
                <kbd>{k}</kbd>
              </dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </div>
    </div>
  );
}
