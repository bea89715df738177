/**
 * The real services integration tests use. They are running on every development and CI machine; a test that
 * needs one fails (never skips) when it is missing, so CI cannot go green without them. Postgres is named in
 * @signalbox/db/testing, which creates each test's database.
 */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
