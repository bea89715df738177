import { ChannelBindingsPage } from '../../../channels/channel-bindings.tsx';

export const metadata = { title: 'Channels · Signalbox' };

export default function ChannelsPage() {
  return <ChannelBindingsPage />;
}
