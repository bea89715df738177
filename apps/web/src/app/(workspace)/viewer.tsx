'use client';

import { createContext, useContext, type ReactNode } from 'react';
import type { Viewer } from '../../server/session.ts';

const ViewerContext = createContext<Viewer | null>(null);

export function ViewerProvider({ viewer, children }: { viewer: Viewer; children: ReactNode }) {
  return <ViewerContext value={viewer}>{children}</ViewerContext>;
}

/** The signed-in user, with the permissions the UI uses to hide what the server would refuse. */
export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useViewer outside the workspace layout');
  return viewer;
}
