import { createContext, useContext } from 'react';
import type { ProjectApi } from './api';
import type { Me, Project } from './types';

export interface AppState {
  me: Me;
  project: Project;
  api: ProjectApi;
  /** Reads the signed-in user and their projects again, e.g. after a project's settings changed. */
  refreshMe: () => void;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp outside AppContext');
  return state;
}
