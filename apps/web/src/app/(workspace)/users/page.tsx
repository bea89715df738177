import { redirect } from 'next/navigation';
import { PeoplePage } from '../../../people/people-page.tsx';
import { currentUser } from '../../../server/session.ts';

export const metadata = { title: 'People · Signalbox' };

export default async function UsersPage() {
  const user = await currentUser();
  if (!user?.permissions.includes('users.manage')) redirect('/flows');
  return <PeoplePage />;
}
