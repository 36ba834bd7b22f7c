# t_68_promises.sh - every time told to a customer is a clock: estimates warned before, breached after, once each.
#
# An agent's #eta is recorded as a promise; the scheduler runs with --once --now T at moments around it (the
# warning at warn_at percent of the time to it, the breach after it), twice at once for the breach, as two
# schedulers of one installation would.  Times are Unix seconds, computed here from what the database recorded.

run=$RANDOM$RANDOM
epoch_of() { sb_sql "select floor(extract(epoch from $1))::bigint from tickets where id = $2"; }  # COLUMN TICKET
count_of() { sb_sql "select count(*) from $1 where ticket_id = $2 and sla = 'eta'"; }      # TABLE TICKET
# queued TICKET RCPT ERE - how many mails of TICKET to RCPT the outbox holds whose text matches ERE.
# newest TICKET RCPT - the text of the newest mail of TICKET queued to RCPT, transfer encoding undone.
newest() {
    sb_sql "select convert_from(data, 'UTF8') from outbox where ticket_id = $1 and rcpt = '$2' order by id desc limit 1" |
        python3 -c 'import sys, email; m = email.message_from_string(sys.stdin.read()); print(m.get("Subject"));
print(m.get_payload(decode=True).decode(m.get_content_charset() or "utf-8"))'
}
queued() { sb_sql "select count(*) from outbox where ticket_id = $1 and rcpt = '$2' and convert_from(data, 'UTF8') ~ '$3'"; }

eng=eng68.$run@introserv.com
sb cli agent add "$eng" --name "Iryna" --team support >/dev/null
# Open tickets of earlier files would breach when the clock jumps ahead: close them (their assertions are made).
sb_sql "update tickets set status = 'closed' where status <> 'closed'" >/dev/null

t_case "an #eta is a promise: ticket show --json lists it beside the acknowledgement's first-response time"
c=eta68.$run@example.net
read -r t _ < <(open_ticket "$c" "Backup restore" "Please restore yesterday's backup of site $run.")
wait_mail "$c" 1 >/dev/null
wait_sql "select acked_at is not null from tickets where id = $t" t 30 >/dev/null
agent_mail "$eng" "$t" >/dev/null <<<"#assign $eng
#eta 90m

We are restoring the backup now."
wait_sql "select count(*) from promises where ticket_id = $t and kind = 'eta'" 1 20 >/dev/null
doc=$(sb cli ticket show "$t" --json)
t_assert_eq "first_response eta" "$(jq -r '[.promises[].kind] | join(" ")' <<<"$doc")" "the promises, in the order told"
t_assert_eq "$(epoch_of due_first_response "$t")" "$(date -d "$(jq -r '.promises[0].due' <<<"$doc")" +%s)" \
    "the first-response promise is the ticket's deadline"
t_assert_eq "false null" "$(jq -r '.promises[1] | "\(.told_at == null) \(.kept_at)"' <<<"$doc")" \
    "the estimate was told to the customer and is not kept yet"
eta=$(epoch_of eta "$t") warn=$(epoch_of warn_eta "$t") set_at=$(date +%s)
t_assert_true [ $((eta - set_at)) -gt 5300 ] "the estimate lies about 90 minutes ahead ($((eta - set_at)) s)"
# One second of slack: the milter's clock reads the moment in whole seconds, rounded, and set_at is taken after.
t_assert_true [ $((eta - set_at)) -le 5401 ] "and not beyond ($((eta - set_at)) s)"
t_assert_true [ "$warn" -gt "$set_at" ] "the warning comes after now"
t_assert_true [ "$warn" -lt "$eta" ] "and before the estimate"
t_end

t_case "before the estimate the assignee is warned once; after it, one eta breach, also with two schedulers at once"
pass_at $((warn + 30))
pass_at $((warn + 60))
t_assert_eq 1 "$(count_of warnings "$t")" "one eta warning from two passes"
t_assert_eq 1 "$(queued "$t" "$eng" 'SLA warning: eta')" "the assignee, on shift, is warned of the estimate"
t_assert_eq 0 "$(count_of breaches "$t")" "no breach before the estimate"
pass_at $((eta + 30)) & pass_at $((eta + 30)) & wait
pass_at $((eta + 90))
t_assert_eq 1 "$(count_of breaches "$t")" "one eta breach from three passes, two of them at once"
t_assert_match 'eta' "$(sb cli ticket show "$t" --json | jq -r '[.breaches[].sla] | join(" ")')" \
    "ticket show lists the eta breach"
t_assert_eq 1 "$(sb_sql "select count(*) from events where ticket_id = $t and type = 'notified'
    and detail like 'eta breach reported to %'")" "the breach is reported once (to the team's leads, or its mailbox)"
t_assert_true [ "$(sb_sql "select count(*) from outbox where ticket_id = $t and convert_from(data, 'UTF8') ~ 'SLA breach: eta'")" -ge 1 ] \
    "a breach notice is queued"
t_end

t_case "a new #eta replaces the promise, the old one stays in the history, the customer is told the new time"
before=$(sb_sql "select count(*) from outbox where ticket_id = $t and rcpt = '$c'")
agent_mail "$eng" "$t" >/dev/null <<<"#eta 3h"
wait_sql "select count(*) from promises where ticket_id = $t and kind = 'eta'" 2 20 >/dev/null
doc=$(sb cli ticket show "$t" --json)
t_assert_eq "false true" "$(jq -r '[.promises[] | select(.kind == "eta") | .replaced_at == null] | map(tostring) | join(" ")' <<<"$doc")" \
    "two estimates: the first replaced, the second open"
t_assert_eq $((before + 1)) "$(sb_sql "select count(*) from outbox where ticket_id = $t and rcpt = '$c'")" \
    "the customer gets one mail for the new estimate"
t_assert_match "$(kyiv "$(epoch_of eta "$t")" | cut -c12-)" \
    "$(newest "$t" "$c")" "that mail names the new time in the customer's zone (Kyiv)"
t_end

t_case "an estimate outside the owning team's hours is applied, and the agent is told when the team is next at work"
c2=offshift68.$run@example.net
read -r t2 _ < <(open_ticket "$c2" "Kernel panic" "The server panics after the update of $run.")
wait_mail "$c2" 1 >/dev/null
agent_mail "$eng" "$t2" >/dev/null <<<"#escalate sysadmins kernel
#internal"
wait_sql "select team from tickets where id = $t2" sysadmins 20 >/dev/null
# Saturday 12:00 Kyiv time (11:00 CET): the system administrators work Mon-Fri 08:00-22:00 CET.
sat=$(TZ=Europe/Kyiv date -d 'next saturday 12:00' '+%Y-%m-%d %H:%M')
mon=$(TZ=Europe/Kyiv date -d "$(TZ=Europe/Kyiv date -d 'next saturday' +%F) + 2 days" +%F)
agent_mail "$eng" "$t2" >/dev/null <<<"#eta $sat
#internal"
wait_sql "select count(*) from outbox where ticket_id = $t2 and rcpt = '$eng'" 1 20 >/dev/null
t_assert_eq "$sat" "$(kyiv "$(epoch_of eta "$t2")")" "the estimate applies all the same"
w=$(newest "$t2" "$eng")
t_assert_match 'Estimate outside the hours of' "$w" "the agent gets a warning"
t_assert_match "Monday to Friday, 08:00.22:00 Central European Time" "$w" "naming the team's hours"
t_assert_match "$(date -d "$mon" +%-d) [A-Z][a-z]+, 09:00" "$w" "and its next shift: Monday 08:00 CET, 09:00 Kyiv time"
t_assert_eq 0 "$(sb_sql "select count(*) from outbox where ticket_id = $t2 and rcpt = '$eng' and convert_from(data, 'UTF8') ~ 'Not applied'")" \
    "the mail is not refused"
t_end
