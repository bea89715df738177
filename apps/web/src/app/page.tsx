import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { currentUser } from '../server/session.ts';
import { Logo } from '../ui/logo.tsx';
import { fetchRunnerStatus, runnerUrl, type RunnerStatus } from './runner-status';

const DEMO_CHAT_URL = `${runnerUrl}/chat/demo-webchat`;

export default async function Home() {
  // The status is read per request; a build-time snapshot would show whatever the runner was doing during `next build`.
  await connection();
  const status = await fetchRunnerStatus();
  const checkedAt = new Date().toLocaleTimeString('en-GB', { timeZoneName: 'short' });
  const signedIn = (await currentUser().catch(() => null))?.name ?? null;

  return (
    <div className="mx-auto flex min-h-screen max-w-5xl flex-col px-8">
      <header className="flex items-center justify-between py-6">
        <div className="flex items-center gap-2.5">
          <Logo />
          <span className="text-lg font-semibold tracking-tight">Signalbox</span>
        </div>
        <nav className="flex items-center gap-6 text-sm text-slate-600">
          <a href={DEMO_CHAT_URL} className="hover:text-slate-900">
            Demo chat
          </a>
          <a href={`${runnerUrl}/metrics`} className="hover:text-slate-900">
            Metrics
          </a>
          <a href="/flows" className="rounded-lg bg-white px-3 py-1.5 font-medium text-slate-700 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50">
            {signedIn ? 'Flows' : 'Sign in'}
          </a>
        </nav>
      </header>

      <main className="flex-1 pb-12">
        <section className="pt-10 pb-12">
          <h1 className="text-4xl font-semibold tracking-tight text-slate-900">Signalbox</h1>
          <div className="mt-4 space-y-1 text-lg leading-relaxed text-slate-600">
            <p>A self-hosted customer-service gateway: every chat platform your customers use, in one place.</p>
            <p>Flows you draw route, answer and translate the messages, and hand a conversation to a person when it needs one.</p>
          </div>
        </section>

        <section className="grid grid-cols-1 gap-6 md:grid-cols-3" aria-label="Runner status">
          <RunnerCard status={status} />
          <TrafficCard status={status} />
        </section>

        <section className="mt-6 grid grid-cols-1 gap-6 md:grid-cols-2">
          <Card>
            <div className="flex items-start justify-between gap-4">
              <h2 className="text-base font-semibold">Demo web chat</h2>
              {status.state === 'unreachable' ? <Badge tone="slate">Offline</Badge> : <Badge tone="green">Live</Badge>}
            </div>
            <p className="mt-2 text-sm leading-relaxed text-slate-600">
              Talk to the demo shop assistant the way a customer would: it greets you, offers order status, refunds or a person,
              and looks up an order number.
            </p>
            <a
              href={DEMO_CHAT_URL}
              className="mt-5 inline-flex items-center gap-1.5 rounded-lg bg-indigo-600 px-4 py-2 text-sm font-medium text-white shadow-sm transition hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
            >
              Open the demo chat
              <span aria-hidden="true">→</span>
            </a>
            <p className="mt-3 truncate font-mono text-xs text-slate-400">{DEMO_CHAT_URL}</p>
          </Card>

          <Card>
            <div className="flex items-start justify-between gap-4">
              <h2 className="text-base font-semibold">Flow editor</h2>
              <Badge tone="green">Ready</Badge>
            </div>
            <p className="mt-2 text-sm leading-relaxed text-slate-600">
              Draw flows in the browser, try them in a live preview, publish numbered versions, compare and restore them, and choose
              which flow answers each channel.
            </p>
            <a
              href="/flows"
              className="mt-5 inline-flex items-center gap-1.5 rounded-lg bg-indigo-600 px-4 py-2 text-sm font-medium text-white shadow-sm transition hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
            >
              Open the editor
              <span aria-hidden="true">→</span>
            </a>
            <p className="mt-3 text-xs text-slate-400">{signedIn ? `Signed in as ${signedIn}` : 'You will be asked to sign in.'}</p>
          </Card>
        </section>
      </main>

      <footer className="flex items-center justify-between border-t border-slate-200 py-5 text-xs text-slate-500">
        <span>
          Checked at {checkedAt} · <a href="/" className="underline decoration-slate-300 underline-offset-2 hover:text-slate-700">refresh</a>
        </span>
        <span>Signalbox · self-hosted</span>
      </footer>
    </div>
  );
}

function RunnerCard({ status }: { status: RunnerStatus }) {
  return (
    <Card>
      <div className="flex items-start justify-between gap-4">
        <h2 className="text-base font-semibold">Runner</h2>
        <StatePill status={status} />
      </div>
      {status.state === 'unreachable' ? (
        <div className="mt-3 space-y-2 text-sm leading-relaxed text-slate-600">
          <p>{status.reason}.</p>
          <p>
            Start it with <code className="rounded bg-slate-100 px-1 py-0.5 text-xs">npm start</code>, or point this page at
            another runner with <code className="rounded bg-slate-100 px-1 py-0.5 text-xs">RUNNER_URL</code>.
          </p>
        </div>
      ) : (
        <ul className="mt-4 space-y-2 text-sm">
          {Object.entries(status.checks).map(([name, result]) => (
            <li key={name} className="flex items-center justify-between gap-3">
              <span className="capitalize text-slate-600">{name}</span>
              <span className={`flex items-center gap-1.5 font-medium ${result === 'ok' ? 'text-emerald-700' : 'text-amber-700'}`}>
                <span className={`size-1.5 rounded-full ${result === 'ok' ? 'bg-emerald-500' : 'bg-amber-500'}`} aria-hidden="true" />
                <span className="max-w-48 truncate" title={result}>
                  {result}
                </span>
              </span>
            </li>
          ))}
        </ul>
      )}
      <p className="mt-4 truncate border-t border-slate-100 pt-3 font-mono text-xs text-slate-400">{runnerUrl}</p>
    </Card>
  );
}

function TrafficCard({ status }: { status: RunnerStatus }) {
  const counters = status.state === 'unreachable' ? null : status.counters;
  const stats = [
    { label: 'Events accepted', hint: 'from webhooks and web chat', value: counters?.accepted },
    { label: 'Events processed', hint: 'run through a flow', value: counters?.processed },
    { label: 'Messages sent', hint: 'delivered to a channel', value: counters?.sent },
  ];
  return (
    <Card className="md:col-span-2">
      <div className="flex items-start justify-between gap-4">
        <h2 className="text-base font-semibold">Traffic</h2>
        <span className="text-xs text-slate-500">since the runner started</span>
      </div>
      <dl className="mt-4 grid grid-cols-3 divide-x divide-slate-100">
        {stats.map((stat) => (
          <div key={stat.label} className="px-4 first:pl-0">
            <dt className="text-sm text-slate-600">{stat.label}</dt>
            <dd className="mt-1 text-3xl font-semibold tabular-nums tracking-tight text-slate-900">
              {stat.value === undefined ? <span className="text-slate-300">—</span> : stat.value.toLocaleString('en')}
            </dd>
            <dd className="mt-1 text-xs text-slate-400">{stat.hint}</dd>
          </div>
        ))}
      </dl>
      {status.state === 'unreachable' && <p className="mt-6 text-sm text-slate-500">The counters appear once the runner answers.</p>}
      {status.state !== 'unreachable' && !counters && <p className="mt-6 text-sm text-amber-700">The runner&apos;s /metrics did not answer.</p>}
    </Card>
  );
}

function StatePill({ status }: { status: RunnerStatus }) {
  switch (status.state) {
    case 'ready':
      return <Badge tone="green">Ready</Badge>;
    case 'not-ready':
      return <Badge tone="amber">Not ready</Badge>;
    case 'unreachable':
      return <Badge tone="red">Unreachable</Badge>;
    default: {
      const unknown: never = status;
      return unknown;
    }
  }
}

const TONES = {
  green: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20',
  amber: 'bg-amber-50 text-amber-800 ring-amber-600/20',
  red: 'bg-red-50 text-red-700 ring-red-600/20',
  slate: 'bg-slate-100 text-slate-600 ring-slate-500/20',
} as const;

const DOTS: Record<keyof typeof TONES, string> = { green: 'bg-emerald-500', amber: 'bg-amber-500', red: 'bg-red-500', slate: 'bg-slate-400' };

function Badge({ tone, children }: { tone: keyof typeof TONES; children: ReactNode }) {
  return (
    <span className={`inline-flex shrink-0 items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[tone]}`}>
      <span className={`size-1.5 rounded-full ${DOTS[tone]}`} aria-hidden="true" />
      {children}
    </span>
  );
}

function Card({ className = '', children }: { className?: string; children: ReactNode }) {
  return <div className={`rounded-xl border border-slate-200 bg-white p-6 shadow-sm ${className}`}>{children}</div>;
}
