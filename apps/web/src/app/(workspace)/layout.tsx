import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { requireUser } from '../../server/session.ts';
import { ViewerProvider } from './viewer.tsx';

/** Every workspace screen needs a signed-in user; the editor draws its own full-screen chrome. */
export default async function WorkspaceLayout({ children }: { children: ReactNode }) {
  const path = (await headers()).get('x-signalbox-path') ?? '/flows';
  const user = await requireUser(path);
  return <ViewerProvider viewer={user}>{children}</ViewerProvider>;
}
