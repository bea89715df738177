'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { useState } from 'react';
import { errorOf, useTRPC } from '../trpc/client.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { Button, ErrorNote, Field, TextArea } from '../ui/primitives.tsx';

export function PublishDialog({ open, onClose, flowId, revision, nextNumber, onPublished }: { open: boolean; onClose(): void; flowId: string; revision: number; nextNumber: number; onPublished(number: number): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const publish = useMutation(
    trpc.versions.publish.mutationOptions({
      onSuccess: async ({ number }) => {
        await queryClient.invalidateQueries({ queryKey: trpc.versions.list.queryKey({ id: flowId }) });
        setNote('');
        onPublished(number);
      },
    }),
  );
  const failure = publish.error ? errorOf(publish.error) : null;
  const conflict = publish.error instanceof TRPCClientError && publish.error.data?.code === 'CONFLICT';
  const close = () => {
    publish.reset();
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      title={`Publish version ${nextNumber}`}
      footer={
        <>
          <Button onClick={close}>Cancel</Button>
          <Button tone="primary" disabled={publish.isPending} onClick={() => publish.mutate({ id: flowId, revision, note })}>
            {publish.isPending ? 'Publishing…' : `Publish v${nextNumber}`}
          </Button>
        </>
      }
    >
      <div className="space-y-4">
        <p className="text-sm text-slate-600">
          Channels that follow this flow’s latest version start new conversations on v{nextNumber}. Conversations already running stay on the version they started with.
        </p>
        <Field label="What changed" htmlFor="publish-note" error={failure?.fields.get('note')} hint="A short note for the version history.">
          <TextArea id="publish-note" rows={3} value={note} onChange={(e) => setNote(e.target.value)} placeholder="Added a refund branch for EU customers" maxLength={500} />
        </Field>
        {failure && failure.fields.size === 0 && <ErrorNote>{failure.message}</ErrorNote>}
        {conflict && (
          <Button onClick={() => window.location.reload()}>Load the latest draft</Button>
        )}
      </div>
    </Dialog>
  );
}
