import { SettingsPage } from '../../../settings/settings-page.tsx';

export const metadata = { title: 'Settings · Signalbox' };

export default function Settings() {
  return <SettingsPage />;
}
