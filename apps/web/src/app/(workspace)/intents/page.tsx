import { IntentsPage } from '../../../intents/intents-page.tsx';

export const metadata = { title: 'Intents · Signalbox' };

export default function Intents() {
  return <IntentsPage />;
}
