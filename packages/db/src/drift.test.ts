import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from './connection.ts';
import { actualSchema, compareSchemas, expectedSchema, type DbSchema } from './drift.ts';
import { migrate } from './migrate.ts';
import { freshDatabase } from './testing.ts';

const SCHEMA = readFileSync(new URL('../../../prisma/schema.prisma', import.meta.url), 'utf8');


describe('schema.prisma against the migrated database', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await freshDatabase('sbx_drift');
    pool = createPool(database.url, 2);
    await migrate(pool);
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  /** The database's schema after `sql`, read inside a transaction that is rolled back so no test sees another's. */
  async function schemaAfter(sql: string): Promise<DbSchema> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(sql);
      return await actualSchema(client);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }

  it('finds no difference after every migration ran', async () => {
    const actual = await actualSchema(pool);
    expect(actual.tables.map((t) => t.name)).not.toContain('_prisma_migrations');
    expect(compareSchemas(expectedSchema(SCHEMA), actual)).toEqual([]);
  });

  it.each([
    { sql: 'ALTER TABLE message DROP COLUMN error', difference: 'table message: column error missing in database' },
    { sql: 'ALTER TABLE contact ADD COLUMN nickname text', difference: 'table contact: column nickname in database but not in schema.prisma' },
    {
      sql: 'ALTER TABLE outbox ALTER COLUMN status DROP NOT NULL',
      difference: 'table outbox: column status is NOT NULL in schema.prisma but nullable in database',
    },
    {
      sql: 'ALTER TABLE message ALTER COLUMN error SET NOT NULL',
      difference: 'table message: column error is nullable in schema.prisma but NOT NULL in database',
    },
    {
      // Prisma Migrate leaves scalar lists nullable; a hand-written NOT NULL is drift from what it would create.
      sql: 'ALTER TABLE conversation ALTER COLUMN tags SET NOT NULL',
      difference: 'table conversation: column tags is nullable in schema.prisma but NOT NULL in database',
    },
    {
      sql: 'ALTER TABLE flow_draft ALTER COLUMN revision TYPE bigint',
      difference: 'table flow_draft: column revision is integer in schema.prisma but bigint in database',
    },
    {
      sql: 'ALTER TABLE timer ALTER COLUMN due_at TYPE timestamp(3)',
      difference: 'table timer: column due_at is timestamp(3) with time zone in schema.prisma but timestamp(3) without time zone in database',
    },
    {
      sql: "ALTER TABLE outbox ALTER COLUMN status SET DEFAULT 'sent'",
      difference: "table outbox: column status default is 'pending' in schema.prisma but 'sent' in database",
    },
    {
      sql: 'ALTER TABLE message ALTER COLUMN seq DROP DEFAULT',
      difference: 'table message: column seq default is autoincrement() in schema.prisma but none in database',
    },
    {
      sql: 'ALTER TABLE flow_draft DROP CONSTRAINT flow_draft_pkey',
      difference: 'table flow_draft: primary key is (flow_id) in schema.prisma but none in database',
    },
    { sql: 'DROP INDEX outbox_status_next_attempt_at_idx', difference: 'table outbox: index (status, next_attempt_at) missing in database' },
    {
      sql: 'DROP INDEX conversation_channel_id_external_id_key',
      difference: 'table conversation: unique index (channel_id, external_id) missing in database',
    },
    { sql: 'CREATE INDEX ON message (status)', difference: 'table message: index (status) in database but not in schema.prisma' },
    {
      sql: 'DROP INDEX timer_status_due_at_idx; CREATE INDEX ON timer (status, due_at DESC)',
      difference: 'table timer: index (status, due_at) missing in database',
      alsoReported: 'table timer: index (status, due_at DESC) in database but not in schema.prisma',
    },
    {
      sql: 'ALTER TABLE timer DROP CONSTRAINT timer_conversation_id_fkey',
      difference: 'table timer: foreign key (conversation_id) -> conversation(id) ON DELETE CASCADE ON UPDATE CASCADE missing in database',
    },
    {
      sql: `ALTER TABLE conversation DROP CONSTRAINT conversation_flow_version_id_fkey,
              ADD FOREIGN KEY (flow_version_id) REFERENCES flow_version(id) ON DELETE CASCADE ON UPDATE CASCADE`,
      difference: 'table conversation: foreign key (flow_version_id) -> flow_version(id) is ON DELETE SET NULL in schema.prisma but ON DELETE CASCADE in database',
    },
    {
      sql: 'DROP INDEX knowledge_article_search_vector_idx',
      difference: 'table knowledge_article: index (search_vector) USING gin missing in database',
    },
    {
      sql: 'DROP INDEX knowledge_article_search_vector_idx; CREATE INDEX ON knowledge_article USING gist (search_vector)',
      difference: 'table knowledge_article: index (search_vector) USING gin missing in database',
      alsoReported: 'table knowledge_article: index (search_vector) USING gist in database but not in schema.prisma',
    },
    {
      sql: 'CREATE INDEX ON knowledge_article USING gin (tags)',
      difference: 'table knowledge_article: index (tags) USING gin in database but not in schema.prisma',
    },
    {
      // A text column cannot keep the GIN index (text has no GIN operator class), so it goes first.
      sql: 'DROP INDEX knowledge_article_search_vector_idx; ALTER TABLE knowledge_article ALTER COLUMN search_vector TYPE text',
      difference: 'table knowledge_article: column search_vector is tsvector in schema.prisma but text in database',
      alsoReported: 'table knowledge_article: index (search_vector) USING gin missing in database',
    },
    { sql: 'CREATE TABLE audit (id text PRIMARY KEY)', difference: 'table audit in database but not in schema.prisma' },
    { sql: 'DROP TABLE timer', difference: 'table timer missing in database' },
  ])('reports $difference', async ({ sql, difference, alsoReported }) => {
    const differences = compareSchemas(expectedSchema(SCHEMA), await schemaAfter(sql));
    expect(differences).toEqual(alsoReported ? [difference, alsoReported] : [difference]);
  });

  it('reports a partial index schema.prisma cannot declare', async () => {
    const differences = compareSchemas(
      expectedSchema(SCHEMA),
      await schemaAfter("CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE status = 'pending'"),
    );
    expect(differences).toHaveLength(1);
    expect(differences[0]).toMatch(/^table outbox: index CREATE INDEX outbox_pending .* WHERE .* in database but not in schema\.prisma$/);
  });

  it('reports a field added to schema.prisma that no migration created', async () => {
    const edited = SCHEMA.replace('model Contact {\n', 'model Contact {\n  nickname String? @map("nick_name")\n');
    expect(edited).not.toBe(SCHEMA);
    expect(compareSchemas(expectedSchema(edited), await actualSchema(pool))).toEqual(['table contact: column nick_name missing in database']);
  });

  it('reports an index added to schema.prisma that no migration created', async () => {
    const edited = SCHEMA.replace('  @@map("timer")', '  @@index([conversationId])\n  @@map("timer")');
    expect(edited).not.toBe(SCHEMA);
    expect(compareSchemas(expectedSchema(edited), await actualSchema(pool))).toEqual(['table timer: index (conversation_id) missing in database']);
  });
});

describe('reading schema.prisma', () => {
  const schema = (models: string) => `
    // comment
    generator client {
      provider = "prisma-client"
    }
    datasource db {
      provider = "postgresql"
    }
    ${models}`;

  it('derives the tables, columns, keys and indexes Prisma Migrate would create', () => {
    const text = schema(`
      /// An account.
      model Account {
        id       BigInt   @id @default(autoincrement())
        email    String   @unique
        homepage String   @default("https://example.com/a//b") // a comment after a string holding //
        balance  Decimal  @default(0)
        ratio    Float?
        active   Boolean  @default(true)
        settings Json     @default("{\\"b\\": 1, \\"a\\": 2}")
        tags     String[] @default([])
        joinedAt DateTime @default(now()) @map("joined_at")
        seenAt   DateTime? @map("seen_at") @db.Timestamptz(6)
        bornOn   DateTime? @db.Date
        code     String   @db.VarChar(12)
        touched  DateTime @updatedAt @db.Timestamptz

        posts  Post[] @relation("written")
        edited Post[] @relation("edited")

        @@map("account")
      }

      model Post {
        accountId BigInt  @map("account_id")
        slug      String
        editorId  BigInt? @map("editor_id")
        publicId  String  @default(uuid(7)) @db.Uuid
        rank      Int     @default(-1)

        account Account  @relation("written", fields: [accountId], references: [id], onDelete: Cascade)
        editor  Account? @relation("edited", fields: [editorId], references: [id])

        @@id([accountId, slug])
        @@unique([slug, rank])
        @@index([editorId, rank])
      }
    `);
    expect(expectedSchema(text)).toEqual({
      tables: [
        {
          name: 'account',
          columns: [
            { name: 'id', type: 'bigint', nullable: false, default: 'autoincrement()' },
            { name: 'email', type: 'text', nullable: false, default: null },
            { name: 'homepage', type: 'text', nullable: false, default: "'https://example.com/a//b'" },
            { name: 'balance', type: 'numeric(65,30)', nullable: false, default: '0' },
            { name: 'ratio', type: 'double precision', nullable: true, default: null },
            { name: 'active', type: 'boolean', nullable: false, default: 'true' },
            { name: 'settings', type: 'jsonb', nullable: false, default: `'{"a":2,"b":1}'` },
            { name: 'tags', type: 'text[]', nullable: true, default: 'ARRAY[]' },
            { name: 'joined_at', type: 'timestamp(3) without time zone', nullable: false, default: 'now()' },
            { name: 'seen_at', type: 'timestamp(6) with time zone', nullable: true, default: null },
            { name: 'bornOn', type: 'date', nullable: true, default: null },
            { name: 'code', type: 'character varying(12)', nullable: false, default: null },
            { name: 'touched', type: 'timestamp with time zone', nullable: false, default: null },
          ],
          primaryKey: ['id'],
          uniques: [['email']],
          indexes: [],
          methodIndexes: [],
          foreignKeys: [],
          otherIndexes: [],
        },
        {
          name: 'Post',
          columns: [
            { name: 'account_id', type: 'bigint', nullable: false, default: null },
            { name: 'slug', type: 'text', nullable: false, default: null },
            { name: 'editor_id', type: 'bigint', nullable: true, default: null },
            { name: 'publicId', type: 'uuid', nullable: false, default: null },
            { name: 'rank', type: 'integer', nullable: false, default: '-1' },
          ],
          primaryKey: ['account_id', 'slug'],
          uniques: [['slug', 'rank']],
          indexes: [['editor_id', 'rank']],
          methodIndexes: [],
          foreignKeys: [
            { columns: ['account_id'], table: 'account', references: ['id'], onDelete: 'CASCADE', onUpdate: 'CASCADE' },
            // Prisma's defaults for a relation without referential actions on optional fields.
            { columns: ['editor_id'], table: 'account', references: ['id'], onDelete: 'SET NULL', onUpdate: 'CASCADE' },
          ],
          otherIndexes: [],
        },
      ],
    });
  });

  it('reads Unsupported columns and indexes of another access method', () => {
    const text = schema(`
      model Doc {
        id     String                   @id
        body   String
        search Unsupported("tsvector")  @map("search_vector")
        shape  Unsupported("geometry")?

        @@index([search], type: Gin)
        @@index([body], type: BTree)
        @@index([id, body], type: Hash)
      }
    `);
    const [table] = expectedSchema(text).tables;
    expect(table?.columns.slice(2)).toEqual([
      { name: 'search_vector', type: 'tsvector', nullable: false, default: null },
      { name: 'shape', type: 'geometry', nullable: true, default: null },
    ]);
    expect(table?.indexes).toEqual([['body']]);
    expect(table?.methodIndexes).toEqual([
      { method: 'gin', columns: ['search_vector'] },
      { method: 'hash', columns: ['id', 'body'] },
    ]);
  });

  it('defaults a relation on required fields to ON DELETE RESTRICT', () => {
    const text = schema(`
      model A {
        id String @id
        bs B[]
      }
      model B {
        id  String @id
        aId String
        a   A      @relation(fields: [aId], references: [id])
      }
    `);
    expect(expectedSchema(text).tables[1]?.foreignKeys).toEqual([
      { columns: ['aId'], table: 'A', references: ['id'], onDelete: 'RESTRICT', onUpdate: 'CASCADE' },
    ]);
  });

  it.each([
    { line: 'role Role', error: /line 12: type Role is not read by the drift check/ },
    { line: 'name String @ignore', error: /line 12: field attribute @ignore is not read/ },
    { line: 'name String @unique(map: "x")', error: /line 12: arguments of @unique are not read/ },
    { line: 'name String @db.Money', error: /line 12: @db\.Money on a String field is not read/ },
    { line: 'name String @db.Timestamptz(3)', error: /line 12: @db\.Timestamptz on a String field is not read/ },
    { line: 'name String @default(dbgenerated("gen()"))', error: /line 12: @default on a String field is not read/ },
    { line: 'name String[] @default(["a"])', error: /line 12: @default on a String\[\] field is not read/ },
    { line: 'name String @default("a"', error: /line 12: expected "\)"/ },
    { line: 'name String @default("a)', error: /line 12: unterminated string/ },
    { line: 'name String\n        @@index([name], type: Fulltext)', error: /line 13: expected an index type/ },
    { line: 'name String\n        @@index([name], map: "by_name")', error: /line 13: @@index argument map is not read/ },
    { line: 'name String\n        @@index(type: Gin)', error: /line 13: @@index needs its field list first/ },
    { line: 'doc Unsupported(tsvector)', error: /line 12: expected a name at column|line 12: Unsupported takes one string/ },
    { line: 'doc Unsupported("tsvector") @default("")', error: /line 12: @default on an Unsupported field is not read/ },
    { line: 'doc Unsupported("tsvector")[]', error: /line 12: a list of Unsupported is not read/ },
    { line: 'name String\n        @@index([name(sort: Desc)])', error: /line 13: expected a plain field name/ },
    { line: 'name String\n        @@index([nmae])', error: /line 13: model M has no scalar field "nmae"/ },
    { line: 'name String\n        @@schema("auth")', error: /line 13: model attribute @@schema is not read/ },
    { line: 'name String\n        @@id([name])', error: /line 11: model M declares its primary key twice/ },
    { line: 'other M? @relation(fields: [name], references: [id], map: "fk")', error: /line 12: @relation argument map is not read/ },
    { line: 'other M? @relation(fields: [name])', error: /line 12: @relation needs both fields: and references:/ },
  ])('rejects what it does not read, naming the line: $line', ({ line, error }) => {
    const text = schema(`
      model M {
        id String @id
        ${line}
      }
    `);
    expect(() => expectedSchema(text)).toThrow(error);
  });

  it('rejects blocks it does not read and blocks never closed', () => {
    expect(() => expectedSchema(schema('enum Role {\n  ADMIN\n}'))).toThrow(/line 9: "enum" blocks are not read/);
    expect(() => expectedSchema(schema('model M {\n  id String @id\n'))).toThrow(/line 9: this block is never closed/);
    expect(() => expectedSchema(schema('').replace('"postgresql"', '"mysql"'))).toThrow(/line 7: the drift check knows PostgreSQL only/);
  });
});
