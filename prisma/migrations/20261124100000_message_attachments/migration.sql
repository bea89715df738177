-- The media that came beside a message's content (an email's attachments, an MMS's extra pictures, an album).
ALTER TABLE "message" ADD COLUMN "attachments" JSONB;
