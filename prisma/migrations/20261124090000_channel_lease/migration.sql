-- Channels the runner reaches out to (an MQTT subscription, an IMAP mailbox) are held by one ingress process at
-- a time: the holder renews its lease on every refresh; another process takes over once it has expired.
CREATE TABLE "channel_lease" (
    "channel_id" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "channel_lease_pkey" PRIMARY KEY ("channel_id")
);
ALTER TABLE "channel_lease" ADD CONSTRAINT "channel_lease_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "channel"("id") ON DELETE CASCADE ON UPDATE CASCADE;
