import { redirect } from 'next/navigation';
import { currentUser } from '../../server/session.ts';
import { safeNext } from '../../server/sign-in.ts';
import { Logo } from '../../ui/logo.tsx';
import { SignInForm } from './sign-in-form.tsx';

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = await searchParams;
  const next = safeNext(query.next);
  const error = typeof query.error === 'string' ? query.error.slice(0, 200) : null;
  const email = typeof query.email === 'string' ? query.email.slice(0, 320) : '';
  if (await currentUser()) redirect(next);
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center gap-3">
          <Logo />
          <h1 className="text-xl font-semibold tracking-tight">Sign in to Signalbox</h1>
        </div>
        <SignInForm next={next} error={error} email={email} />
      </div>
    </main>
  );
}
