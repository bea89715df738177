import { FlowList } from '../../../flows/flow-list.tsx';

export const metadata = { title: 'Flows · Signalbox' };

export default function FlowsPage() {
  return <FlowList />;
}
