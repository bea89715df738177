// What the web app uses: repositories and sessions, without the migrator and the embedded server (whose file
// system reads would make Next.js trace the whole repository into its build).
export * from './connection.ts';
export * from './workspaces.ts';
export * from './users.ts';
export * from './sessions.ts';
export * from './flows.ts';
export * from './channels.ts';
export * from './secrets.ts';
export * from './knowledge.ts';
export * from './translation-memory.ts';
export * from './writes.ts';
export * from './templates.ts';
export * from './word-lists.ts';
export * from './workspace-translation.ts';
export * from './intents.ts';
