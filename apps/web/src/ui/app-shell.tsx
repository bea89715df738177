'use client';

import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import type { ReactNode } from 'react';
import { useViewer } from '../app/(workspace)/viewer.tsx';
import { useTRPC } from '../trpc/client.tsx';
import { Logo } from './logo.tsx';

export function SignOutButton() {
  const trpc = useTRPC();
  const router = useRouter();
  const signOut = useMutation(trpc.auth.signOut.mutationOptions({ onSuccess: () => router.replace('/sign-in') }));
  return (
    <button type="button" onClick={() => signOut.mutate()} className="text-sm text-slate-500 hover:text-slate-900">
      Sign out
    </button>
  );
}

/** The frame of every workspace page except the editor, which needs the whole window. */
export function AppShell({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  const viewer = useViewer();
  const pathname = usePathname();
  const links = [
    { href: '/flows', label: 'Flows', show: true },
    { href: '/templates', label: 'Templates', show: viewer.permissions.includes('content.read') },
    { href: '/intents', label: 'Intents', show: viewer.permissions.includes('content.read') },
    { href: '/knowledge', label: 'Knowledge', show: viewer.permissions.includes('content.read') },
    { href: '/word-lists', label: 'Word lists', show: viewer.permissions.includes('content.read') },
    { href: '/channels', label: 'Channels', show: viewer.permissions.includes('channels.read') },
    { href: '/users', label: 'People', show: viewer.permissions.includes('users.manage') },
    { href: '/settings', label: 'Settings', show: viewer.permissions.includes('settings.manage') },
  ];
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-14 max-w-6xl items-center gap-8 px-6">
          <Link href="/" className="flex items-center gap-2">
            <Logo size="sm" />
            <span className="font-semibold tracking-tight">Signalbox</span>
          </Link>
          <nav className="flex items-center gap-1" aria-label="Main">
            {links
              .filter((l) => l.show)
              .map((l) => (
                <Link
                  key={l.href}
                  href={l.href}
                  aria-current={pathname.startsWith(l.href) ? 'page' : undefined}
                  className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900 aria-[current=page]:bg-indigo-50 aria-[current=page]:text-indigo-700"
                >
                  {l.label}
                </Link>
              ))}
          </nav>
          <div className="ml-auto flex items-center gap-4">
            <span className="text-sm text-slate-700">
              {viewer.name} <span className="text-slate-400">· {viewer.role}</span>
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-6 py-8">
        <div className="mb-6 flex items-center justify-between gap-4">
          <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
          <div className="flex items-center gap-2">{actions}</div>
        </div>
        {children}
      </main>
    </div>
  );
}
