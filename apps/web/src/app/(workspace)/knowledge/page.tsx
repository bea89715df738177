import { Suspense } from 'react';
import { KnowledgePage } from '../../../knowledge/knowledge-page.tsx';

export const metadata = { title: 'Knowledge base · Signalbox' };

// The page reads `?article=` on the client, which Next requires to sit inside a Suspense boundary.
export default function Knowledge() {
  return (
    <Suspense>
      <KnowledgePage />
    </Suspense>
  );
}
