import { FlowEditor } from '../../../../editor/flow-editor.tsx';

export const metadata = { title: 'Flow editor · Signalbox' };

export default async function FlowEditorPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  const raw = (await searchParams).version;
  const version = typeof raw === 'string' && /^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : null;
  // Keyed: each version (and the draft) opens fresh, never from the previous view's data.
  return <FlowEditor key={`${id}:${version ?? 'draft'}`} flowId={id} version={version} />;
}
