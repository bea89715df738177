import { defineConfig } from 'prisma/config';

// Only `prisma generate` is used (see docs/decisions.md): migrations are hand-written SQL applied by
// packages/db's migrator, never by `prisma migrate`, which needs a native engine these machines cannot download.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
