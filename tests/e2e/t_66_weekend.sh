# t_66_weekend.sh - policy example 2 lived through a weekend: the customer's and the agents' mail recorded at the
# moments of a Friday night, a Saturday and a Monday morning.
#
# The sandbox's test clock (contrib/sandbox clock; builds with --enable-test-clock) makes the milter record each
# mail at a chosen moment; the scheduler runs with --once --now T at the moments after.  The moments are next week's,
# so the running scheduler (on the real clock) leaves this ticket's mail to those passes.  Times of day are local to
# Europe/Amsterdam (the CET teams) and converted with the system's tz database by date(1).

if ! sb cli --version | grep -q "test clock"; then
    t_case "the build under test has the test clock (configure --enable-test-clock, as contrib/sandbox builds)"
    t_fail "$(sb cli --version): the weekend scenarios need a test-clock build"
    t_end
    return 0 2>/dev/null || exit 0
fi

run=$RANDOM$RANDOM
ams() { TZ=Europe/Amsterdam date -d "$1" +%s; }                     # local Amsterdam time -> Unix time
epoch_of() { sb_sql "select floor(extract(epoch from $1))::bigint from tickets where id = $2"; }  # COLUMN TICKET
breaches() { sb_sql "select coalesce(string_agg(sla, ' ' order by id), '') from breaches where ticket_id = $1"; }
clock_at() { sb clock "@$1" >/dev/null; }
# said_to CUSTOMER ERE - the newest mail delivered to CUSTOMER whose text matches ERE (waits up to 15 s).
said_to() { mail_matching "$1" "$2"; }
# reminders TICKET - the "write to the customer" reminders queued for TICKET.
reminders() { sb_sql "select count(*) from outbox where ticket_id = $1 and convert_from(data, 'UTF8') ~ 'Write to the customer'"; }
# A file that stops half-way must not leave the files after it recording mail on next week's clock.
trap 'sb clock off; t_file_exit' EXIT

eng=eng66.$run@introserv.com admin=admin66.$run@introserv.com
sb cli agent add "$eng" --name "Iryna" --team support >/dev/null
sb cli agent add "$admin" --name "Taras" --team sysadmins >/dev/null
# Open tickets of earlier files would breach when the passes below jump ahead: close them (their assertions are made).
sb_sql "update tickets set status = 'closed' where status <> 'closed'" >/dev/null
F=$(ams 'next friday 21:30')
mon=$(date -d "$(TZ=Europe/Amsterdam date -d "@$F" +%F) + 3 days" +%F)

t_case "Friday 21:30 CET: the request is recorded then, and the acknowledgement names a time on that evening"
clock_at "$F"
t_assert_eq "$(date -d "@$F" --iso-8601=seconds)" "$(sb clock)" "the sandbox says which moment it records"
c=vps66.$run@example.net
read -r t cmid < <(open_ticket "$c" "My VPS is slow" "Since this evening the VPS takes ages to load pages.")
t_assert_eq "$F" "$(epoch_of created_at "$t")" "the ticket was opened at the simulated moment"
t_assert_eq "$((F + 600))" "$(epoch_of due_first_response "$t")" "a person owes the customer an answer by 21:40"
t_assert_eq "$F" "$(sb_sql "select floor(extract(epoch from max(at)))::bigint from messages where message_id = '$cmid'")" \
    "the customer's message carries the same moment"
pass_at $((F + 20))
ack=$(said_to "$c" "has been registered as ticket")
t_assert_match "personally by $(customer_time en $((F + 600)) "$F") \\(Kyiv time\\)" "$(mail_text "$ack" 2>/dev/null)" \
    "the acknowledgement says by when, on the customer's clock"
t_assert_eq "$((F + 20))" "$(epoch_of acked_at "$t")" "acknowledged 20 s after the request"
t_end

t_case "21:36: the engineer's first response is recorded at 21:36, and no first-response clock runs out"
clock_at $((F + 360))
agent_mail "$eng" "$t" >/dev/null <<EOF
#assign $eng
Hello, we see the load on your VPS and are checking the disk now.
EOF
wait_sql "select first_response_at is not null from tickets where id = $t" t 15 >/dev/null
t_assert_eq "$((F + 360))" "$(epoch_of first_response_at "$t")" "first response at 21:36, six minutes after the request"
t_assert_eq "$eng" "$(sb_sql "select assignee from tickets where id = $t")" "the engineer owns it"
pass_at $((F + 370))
said=$(said_to "$c" "checking the disk now")
t_assert_match "\\[INTROSERV #$t\\]" "$(hdr "$said" Subject)" "the customer has the engineer's words, tagged"
pass_at $((F + 8 * 60 + 5))
pass_at $((F + 11 * 60))
t_assert_eq 0 "$(sb_sql "select count(*) from outbox where ticket_id = $t and convert_from(data, 'UTF8') ~ 'SLA warning: first_response'")" \
    "21:38: nobody is warned of a first response already given"
t_assert_eq "" "$(breaches "$t")" "21:41: no breach"
t_end

t_case "21:50: the engineer hands it to the system administrators; the customer is told once, by a person"
clock_at $((F + 20 * 60))
before=$(sb mail "$c" | grep -c .)
agent_mail "$eng" "$t" >/dev/null <<EOF
#escalate sysadmins
The disk of the host is failing; our system administrators will move your VPS to another host.
EOF
wait_sql "select team from tickets where id = $t" sysadmins 15 >/dev/null
t_assert_eq "sysadmins null $eng" "$(sb cli ticket show "$t" --json | jq -r '"\(.team) \(.assignee) \(.watchers | join(","))"')" \
    "the system administrators own it, nobody in it is named yet, the engineer watches"
t_assert_eq "$((F + 20 * 60))" "$(epoch_of escalated_at "$t")" "escalated at 21:50"
pass_at $((F + 20 * 60 + 10))
said_to "$c" "move your VPS to another host" >/dev/null
t_assert_eq $((before + 1)) "$(sb mail "$c" | grep -c .)" "one mail to the customer for the escalation"
t_end

t_case "Friday 23:45: the first line writes while the owners are away; its reminder clock restarts from then"
at=$((F + 2 * 3600 + 15 * 60))
clock_at "$at"
agent_mail "$eng" "$t" >/dev/null <<EOF
An update: the new host is ready; the move starts on Monday morning when the system administrators are in.
EOF
t_assert_eq "$at" "$(wait_sql "select floor(extract(epoch from max(at)))::bigint from events
    where ticket_id = $t and type = 'replied'" "$at" 15)" "the update is on the ticket at 23:45"
pass_at $((at + 10))
said_to "$c" "the new host is ready" >/dev/null || t_fail "the customer did not get the update"
pass_at $((F + 2 * 3600 + 21 * 60))   # 23:51: two hours after the escalation notice
t_assert_eq 0 "$(reminders "$t")" "23:51: nobody is reminded to write, the customer had news at 23:45"
pass_at $((at + 2 * 3600 + 5 * 60))   # Saturday 01:50
t_assert_eq 1 "$(reminders "$t")" "Saturday 01:50: the first line is reminded, two hours after the update"
t_end

t_case "Monday 08:20 CET: the system administrator takes it and resolves it, recorded then"
clock_at "$(ams "$mon 08:20")"
agent_mail "$admin" "$t" >/dev/null <<EOF
#assign $admin
#status resolved
Your VPS now runs on the new host; the pages load in well under a second again.
EOF
wait_sql "select status from tickets where id = $t" resolved 15 >/dev/null
t_assert_eq "$(ams "$mon 08:20") $admin" "$(sb_sql "select floor(extract(epoch from resolved_at))::bigint || ' ' || assignee from tickets where id = $t")" \
    "resolved by the system administrator at 08:20"
pass_at "$(ams "$mon 08:21")"
said_to "$c" "runs on the new host" >/dev/null || t_fail "the customer did not get the resolution"
t_assert_eq "$F" "$(sb_sql "select floor(extract(epoch from min(at)))::bigint from events where ticket_id = $t")" \
    "the history opens on the Friday evening"
t_end

sb clock off
t_case "with the clock off, mail is recorded at the real time again"
t_assert_eq real "$(sb clock)" "the sandbox says the clock is real"
read -r t2 _ < <(open_ticket "now66.$run@example.net" "Real time" "Recorded now.")
t_assert_true [ $(($(date +%s) - $(epoch_of created_at "$t2"))) -lt 60 ] "opened within the last minute"
t_end
