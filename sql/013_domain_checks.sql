-- 013_domain_checks.sql - the database takes only the words of the domain (src/core/domain.c), as the code does.
-- tickets.status, messages.kind and breaches.sla have had their CHECKs since 001; these say the same of a ticket's
-- category, of what a queued mail is and of the types of its history's events.
ALTER TABLE tickets ADD CONSTRAINT tickets_category_check
    CHECK (category IN ('simple', 'standard', 'complex', 'custom'));
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
    CHECK (kind IN ('internal', 'notice', 'agent', 'ack'));

-- A change of category, assignee or estimate was recorded as a status event; it has a type of its own now.  The
-- events from before this version get theirs from the detail the agent's command (or an escalation, which
-- unassigns) wrote, so a ticket's history reads the same whenever its lines were written.
ALTER TABLE events DROP CONSTRAINT IF EXISTS events_type_check;
UPDATE events SET type = 'category' WHERE type = 'status' AND detail LIKE 'category % by %';
UPDATE events SET type = 'assigned' WHERE type = 'status' AND detail LIKE 'assigned to % by %';
UPDATE events SET type = 'assigned' WHERE type = 'status' AND detail LIKE 'unassigned % (now a watcher) at the escalation';
UPDATE events SET type = 'eta' WHERE type = 'status' AND detail LIKE 'estimated resolution % by %';
ALTER TABLE events ADD CONSTRAINT events_type_check
    CHECK (type IN ('created', 'acked', 'replied', 'escalated', 'status', 'breach', 'notified',
                    'category', 'assigned', 'eta'));
