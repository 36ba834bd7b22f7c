-- 026_incident_eta.sql - an incident's estimate, and the new ticket a late reply opens says which it follows.
-- incidents.eta: the estimated resolution an agent gave in a mail to the incident's tag (#eta); every joined
--   customer is told it and it is each joined ticket's estimate (a promise, as a ticket's own #eta).
-- ticket_links.type reopened_from: the ticket a customer's reply opened after reopen_window, pointing at the
--   closed ticket it follows (read as linked from the closed one).  sg_intake() records it so; rows written
--   before this migration stay linked, as they cannot be told from an agent's #link.
ALTER TABLE incidents ADD COLUMN eta timestamptz;
ALTER TABLE ticket_links DROP CONSTRAINT ticket_links_type_check,
    ADD CONSTRAINT ticket_links_type_check CHECK (type IN ('merged_into', 'linked', 'reopened_from'));
-- sg_intake() (sql/functions/intake.sql) records reopened_from.
