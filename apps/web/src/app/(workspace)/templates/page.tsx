import { TemplatesPage } from '../../../templates/templates-page.tsx';

export const metadata = { title: 'Templates · Signalbox' };

export default function Templates() {
  return <TemplatesPage />;
}
