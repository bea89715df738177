'use client';

import { useMutation } from '@tanstack/react-query';
import type { FlowDocument, SimulationState, TraceEntry, TranscriptLine } from '@signalbox/nodes';
import { useEffect, useRef, useState } from 'react';
import { errorOf, useTRPC } from '../trpc/client.tsx';
import { Button, ErrorNote, Select, TextArea, TextInput } from '../ui/primitives.tsx';

const CHANNELS = ['webchat', 'whatsapp', 'messenger', 'instagram', 'telegram', 'line', 'sms', 'email', 'webhook'];

export interface PreviewRun {
  /** The trace of the last event, for highlighting its path on the canvas. */
  trace: TraceEntry[];
}

/**
 * Chats with the current draft through the real interpreter on the server, in a sandbox: nothing is sent to any
 * channel, and HTTP nodes get the response typed here unless live calls are switched on.
 */
export function PreviewPanel({ document, onRun, onFocusNode }: { document: FlowDocument; onRun(run: PreviewRun | null): void; onFocusNode(nodeId: string): void }) {
  const trpc = useTRPC();
  const [simulation, setSimulation] = useState<SimulationState | null>(null);
  const [transcript, setTranscript] = useState<TranscriptLine[]>([]);
  const [traces, setTraces] = useState<TraceEntry[][]>([]);
  const [text, setText] = useState('');
  const [channel, setChannel] = useState('webchat');
  const [locale, setLocale] = useState('en');
  const [live, setLive] = useState(false);
  const [mockStatus, setMockStatus] = useState('200');
  const [mockBody, setMockBody] = useState('{"status": "shipped"}');
  const step = useMutation(trpc.preview.step.mutationOptions());
  const bottom = useRef<HTMLDivElement>(null);

  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [transcript]);

  const send = async (event: { text?: string; reply?: { id: string; title: string }; timer?: true }) => {
    const status = Number(mockStatus);
    const http = live ? ({ mode: 'live' } as const) : ({ mode: 'mock', status: Number.isInteger(status) && status >= 100 && status <= 599 ? status : 200, body: mockBody, headers: { 'content-type': 'application/json' } } as const);
    const result = await step.mutateAsync({ document, simulation, event, channel, locale, http });
    setSimulation(result.simulation);
    setTranscript((t) => [...t, ...result.transcript]);
    setTraces((t) => [...t, result.trace]);
    onRun({ trace: result.trace });
  };

  const reset = () => {
    setSimulation(null);
    setTranscript([]);
    setTraces([]);
    step.reset();
    onRun(null);
  };

  const variables = simulation?.state?.variables ?? {};
  const lastTrace = traces.at(-1) ?? [];
  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="grid grid-cols-2 gap-2 border-b border-slate-200 p-3">
        <label className="text-[11px] font-medium text-slate-500" htmlFor="preview-channel">
          Channel
          <Select id="preview-channel" value={channel} onChange={(e) => setChannel(e.target.value)} className="mt-0.5 !py-1 text-xs">
            {CHANNELS.map((c) => <option key={c}>{c}</option>)}
          </Select>
        </label>
        <label className="text-[11px] font-medium text-slate-500" htmlFor="preview-locale">
          Customer language
          <TextInput id="preview-locale" value={locale} onChange={(e) => setLocale(e.target.value)} className="mt-0.5 !py-1 text-xs" placeholder="en, de, pt-BR" />
        </label>
        <details className="col-span-2 text-xs text-slate-600">
          <summary className="cursor-pointer select-none font-medium">HTTP requests: {live ? 'live calls' : `mocked (${mockStatus})`}</summary>
          <div className="mt-2 space-y-2">
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} className="accent-indigo-600" /> Call the real URLs
            </label>
            {!live && (
              <>
                <label className="block" htmlFor="mock-status">
                  Mocked status
                  <TextInput id="mock-status" value={mockStatus} onChange={(e) => setMockStatus(e.target.value)} className="mt-0.5 !py-1 text-xs" inputMode="numeric" />
                </label>
                <label className="block" htmlFor="mock-body">
                  Mocked JSON body
                  <TextArea id="mock-body" rows={3} value={mockBody} onChange={(e) => setMockBody(e.target.value)} className="mt-0.5 font-mono text-xs" />
                </label>
              </>
            )}
          </div>
        </details>
      </div>

      <div className="min-h-0 flex-1 space-y-2 overflow-y-auto bg-slate-50 p-3" aria-label="Preview conversation" aria-live="polite">
        {transcript.length === 0 && <p className="pt-6 text-center text-xs text-slate-400">Write as a customer would. Nothing is sent to any channel.</p>}
        {transcript.map((line, i) => (
          <div key={i} className={line.from === 'customer' ? 'flex justify-end' : line.from === 'bot' ? 'flex justify-start' : 'text-center'}>
            {line.from === 'system' ? (
              <span className="text-[11px] italic text-slate-400">{line.text}</span>
            ) : (
              <div data-from={line.from} className={`max-w-[85%] rounded-2xl px-3 py-1.5 text-sm ${line.from === 'customer' ? 'rounded-br-sm bg-indigo-600 text-white' : 'rounded-bl-sm bg-white text-slate-800 ring-1 ring-slate-200'}`}>
                <p className="whitespace-pre-wrap">{line.text}</p>
                {line.buttons && (
                  <div className="mt-1.5 flex flex-wrap gap-1">
                    {line.buttons.map((b) => (
                      <button key={b.id} type="button" disabled={step.isPending} onClick={() => void send({ reply: { id: b.id, title: b.title } })} className="rounded-full border border-indigo-200 bg-indigo-50 px-2 py-0.5 text-xs text-indigo-700 hover:bg-indigo-100">
                        {b.title}
                      </button>
                    ))}
                  </div>
                )}
              </div>
            )}
          </div>
        ))}
        <div ref={bottom} />
      </div>

      {step.error && <div className="px-3 pt-2"><ErrorNote>{errorOf(step.error).message}</ErrorNote></div>}
      <form
        className="flex gap-2 border-t border-slate-200 p-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (!text.trim()) return;
          void send({ text });
          setText('');
        }}
      >
        <TextInput aria-label="Message as the customer" value={text} onChange={(e) => setText(e.target.value)} placeholder="Type a customer message" />
        <Button type="submit" tone="primary" disabled={step.isPending || !text.trim()}>Send</Button>
      </form>
      <div className="flex items-center gap-2 px-3 pb-3">
        <Button size="sm" onClick={reset}>Reset</Button>
        {simulation?.pendingTimer && <Button size="sm" onClick={() => void send({ timer: true })}>Fire timer</Button>}
        <span className="ml-auto text-[11px] text-slate-400">{simulation ? `status: ${simulation.state?.status ?? 'active'}` : ''}</span>
      </div>

      <details className="border-t border-slate-200 p-3 text-xs" open>
        <summary className="cursor-pointer select-none font-medium text-slate-600">Variables ({Object.keys(variables).length})</summary>
        <pre className="mt-2 max-h-32 overflow-auto rounded bg-slate-900 p-2 text-[11px] text-slate-100">{JSON.stringify(variables, null, 2)}</pre>
      </details>
      <details className="border-t border-slate-200 p-3 text-xs">
        <summary className="cursor-pointer select-none font-medium text-slate-600">Trace of the last message ({lastTrace.length} steps)</summary>
        <ol className="mt-2 space-y-1">
          {lastTrace.map((t) => (
            <li key={t.step}>
              <button type="button" onClick={() => onFocusNode(t.nodeId)} className="w-full rounded px-1 text-left font-mono text-[11px] text-slate-600 hover:bg-slate-100" title="Show this step's node">
                {t.step}. {t.nodeId} ({t.type}) → {t.outcome}
                {t.port ? `:${t.port}` : ''}
                {t.detail ? ` — ${t.detail}` : ''}
              </button>
            </li>
          ))}
        </ol>
      </details>
    </div>
  );
}
