/**
 * The real services integration tests use. They are running on every development and CI machine; a test that
 * needs one fails (never skips) when it is missing, so CI cannot go green without them.
 */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
