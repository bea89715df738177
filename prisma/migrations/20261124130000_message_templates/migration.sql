-- Message templates: reusable replies with {{variables}} and one variant per language, named as WhatsApp requires
-- so a template can be registered with Meta. `variants` and `sample_data` are JSON validated by the
-- MessageTemplate schema of @signalbox/nodes; `revision` counts saves, so an editor never overwrites a newer one.
CREATE TABLE "message_template" (
    "id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "default_language" TEXT NOT NULL,
    "variants" JSONB NOT NULL,
    "sample_data" JSONB NOT NULL DEFAULT '{}',
    "whatsapp" JSONB,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "message_template_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "message_template_workspace_id_name_key" ON "message_template"("workspace_id", "name");

ALTER TABLE "message_template" ADD CONSTRAINT "message_template_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
