import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { TrpcProvider } from '../trpc/client.tsx';
import './globals.css';

export const metadata: Metadata = {
  title: 'Signalbox',
  description: 'A self-hosted customer-service gateway: every chat platform in one place, handled by flows you draw.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <TrpcProvider>{children}</TrpcProvider>
      </body>
    </html>
  );
}
