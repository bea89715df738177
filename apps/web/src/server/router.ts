import { authRouter } from './routers/auth.ts';
import { channelsRouter } from './routers/channels.ts';
import { flowsRouter } from './routers/flows.ts';
import { previewRouter } from './routers/preview.ts';
import { usersRouter } from './routers/users.ts';
import { versionsRouter } from './routers/versions.ts';
import { createCallerFactory, router } from './trpc.ts';

export const appRouter = router({
  auth: authRouter,
  flows: flowsRouter,
  versions: versionsRouter,
  preview: previewRouter,
  channels: channelsRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
