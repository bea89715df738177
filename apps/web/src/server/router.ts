import { authRouter } from './routers/auth.ts';
import { channelsRouter } from './routers/channels.ts';
import { flowsRouter } from './routers/flows.ts';
import { intentsRouter } from './routers/intents.ts';
import { knowledgeRouter } from './routers/knowledge.ts';
import { previewRouter } from './routers/preview.ts';
import { settingsRouter } from './routers/settings.ts';
import { templatesRouter } from './routers/templates.ts';
import { usersRouter } from './routers/users.ts';
import { versionsRouter } from './routers/versions.ts';
import { wordListsRouter } from './routers/word-lists.ts';
import { createCallerFactory, router } from './trpc.ts';

export const appRouter = router({
  auth: authRouter,
  flows: flowsRouter,
  versions: versionsRouter,
  preview: previewRouter,
  channels: channelsRouter,
  users: usersRouter,
  templates: templatesRouter,
  intents: intentsRouter,
  knowledge: knowledgeRouter,
  wordLists: wordListsRouter,
  settings: settingsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
