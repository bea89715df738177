import { FlowLibrary } from '@signalbox/db/app';
import { FlowEditor } from '../../../../editor/flow-editor.tsx';
import { prisma } from '../../../../server/db.ts';
import { requireUser } from '../../../../server/session.ts';

export const metadata = { title: 'Flow editor · Signalbox' };

export default async function FlowEditorPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  const raw = (await searchParams).version;
  const version = typeof raw === 'string' && /^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : null;
  // The draft comes with the page, so the editor does not wait for the browser to ask for it. Keyed: each
  // version (and the draft) opens fresh, never from the previous view's data.
  const user = await requireUser(`/flows/${id}`);
  const opened = await new FlowLibrary(prisma()).open(user.workspaceId, id);
  return <FlowEditor key={`${id}:${version ?? 'draft'}`} flowId={id} version={version} initial={opened} />;
}
