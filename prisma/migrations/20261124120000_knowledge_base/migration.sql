-- The shop's knowledge base: help articles and FAQ entries in several languages, found by Postgres full-text
-- search. Runs on Postgres 15 and on the embedded PGlite alike: no extension (neither has pgvector nor pg_trgm).
-- `search_config` is text cast to regconfig where used (pg_upgrade refuses regconfig columns in user tables),
-- so `search_vector` cannot be a generated column (the cast is not immutable): KnowledgeRepository writes it, in
-- the same statement as the title and body it is derived from.
CREATE TABLE "knowledge_article" (
    "id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'article',
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "category" TEXT NOT NULL DEFAULT '',
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "status" TEXT NOT NULL DEFAULT 'draft',
    "search_config" TEXT NOT NULL,
    "search_text" TEXT NOT NULL,
    "search_vector" tsvector NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "knowledge_article_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "knowledge_article_workspace_id_updated_at_idx" ON "knowledge_article"("workspace_id", "updated_at");

CREATE INDEX "knowledge_article_search_vector_idx" ON "knowledge_article" USING GIN ("search_vector");

ALTER TABLE "knowledge_article" ADD CONSTRAINT "knowledge_article_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Optional embeddings, one per (article, model), as real[]: pgvector is not available on every install, and a
-- small knowledge base is searched fast enough by computing the similarity in the application.
CREATE TABLE "knowledge_embedding" (
    "article_id" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "dims" INTEGER NOT NULL,
    "vector" REAL[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "knowledge_embedding_pkey" PRIMARY KEY ("article_id", "model")
);

ALTER TABLE "knowledge_embedding" ADD CONSTRAINT "knowledge_embedding_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "knowledge_article"("id") ON DELETE CASCADE ON UPDATE CASCADE;
