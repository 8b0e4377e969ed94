import { createContext, useContext } from 'react';
import type { ProjectApi } from './api';
import type { Me, Project } from './types';

export interface AppState {
  me: Me;
  project: Project;
  api: ProjectApi;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp outside AppContext');
  return state;
}
