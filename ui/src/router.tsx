import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

// A very small history router: the whole UI state that a user may want to share (page, project,
// filters, selected step) lives in the path and query string.

const NAVIGATE = 'sextant:navigate';

function subscribe(callback: () => void): () => void {
  window.addEventListener('popstate', callback);
  window.addEventListener(NAVIGATE, callback);
  return () => {
    window.removeEventListener('popstate', callback);
    window.removeEventListener(NAVIGATE, callback);
  };
}

function snapshot(): string {
  return window.location.pathname + window.location.search;
}

export interface Location {
  pathname: string;
  search: URLSearchParams;
  href: string;
}

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot, snapshot);
  const url = new URL(href, 'http://local');
  return { pathname: url.pathname, search: url.searchParams, href };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATE));
}

/** Builds `path?query` from a path and parameters, dropping empty values. */
export function href(path: string, params: Record<string, string | string[] | null | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value)) value.filter((v) => v !== '').forEach((v) => search.append(key, v));
    else search.set(key, value);
  }
  const s = search.toString();
  return s ? `${path}?${s}` : path;
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string; replace?: boolean };

export function Link({ to, replace, onClick, ...rest }: LinkProps) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to, { replace });
  };
  return <a href={to} onClick={handle} {...rest} />;
}

/** `pathname?search` with `changes` applied; null or empty removes a parameter. */
export function withParams(pathname: string, search: URLSearchParams, changes: Record<string, string | string[] | null | undefined>): string {
  const next = new URLSearchParams(search);
  for (const [key, value] of Object.entries(changes)) {
    next.delete(key);
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value)) value.filter((v) => v !== '').forEach((v) => next.append(key, v));
    else next.set(key, value);
  }
  const s = next.toString();
  return s ? `${pathname}?${s}` : pathname;
}

/** The current URL with `changes` applied: handlers use it so two quick changes never undo each other. */
export function currentWithParams(changes: Record<string, string | string[] | null | undefined>): string {
  return withParams(window.location.pathname, new URLSearchParams(window.location.search), changes);
}
