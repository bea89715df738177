-- With MASK_STORED_PII, a reply's outbox row carries its payload twice until it is delivered: `payload` as sent
-- (the platform needs the real text and recipient) and `stored_payload` with personal data masked, which
-- replaces it once the row is sent or has failed for good.
ALTER TABLE "outbox" ADD COLUMN "stored_payload" JSONB;
