-- A workspace's own translation provider, set in the web app, instead of the server's TRANSLATION_* settings.
-- `settings` is sealed with SIGNALBOX_SECRET_KEY (AES-256-GCM), since it holds the provider's API key; `provider`
-- stays readable for listings. `revision` counts saves: the runner rebuilds its translator when it changes.
CREATE TABLE "workspace_translation" (
    "workspace_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "settings" TEXT NOT NULL,
    "glossary" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "revision" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "workspace_translation_pkey" PRIMARY KEY ("workspace_id")
);

ALTER TABLE "workspace_translation" ADD CONSTRAINT "workspace_translation_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
