-- 027_outbox_functions.sql - version 27: the scheduler claims, stores and records its mail through functions.
-- sg_outbox_claim(), sg_ack_store(), sg_outbox_sent() and sg_outbox_next_due() are defined in
-- sql/functions/outbox.sql, which every db migrate applies after the numbered migrations; this version is the
-- one whose programs call them.
COMMENT ON TABLE outbox IS 'outgoing mail; the scheduler claims it with sg_outbox_claim(), stores a composed acknowledgement with sg_ack_store() and records the relay''s 250 with sg_outbox_sent() (sql/functions/outbox.sql)';
