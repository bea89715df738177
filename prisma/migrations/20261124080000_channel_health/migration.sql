-- Channel health for the settings page: when the platform last reached us, and the last thing that went
-- wrong (a refused signature, a send the platform rejected). Written at most every few seconds per channel.
ALTER TABLE "channel" ADD COLUMN "last_event_at" TIMESTAMPTZ(3);
ALTER TABLE "channel" ADD COLUMN "last_error" TEXT;
ALTER TABLE "channel" ADD COLUMN "last_error_at" TIMESTAMPTZ(3);
