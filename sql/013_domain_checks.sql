-- 013_domain_checks.sql - the database takes only the words of the domain (src/core/domain.c), as the code does.
-- tickets.status, messages.kind, events.type and breaches.sla have had their CHECKs since 001; these say the same
-- of a ticket's category and of what a queued mail is.
ALTER TABLE tickets ADD CONSTRAINT tickets_category_check
    CHECK (category IN ('simple', 'standard', 'complex', 'custom'));
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
    CHECK (kind IN ('internal', 'notice', 'agent', 'ack'));
