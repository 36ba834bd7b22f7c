# t_67_ownership.sh - responsibility follows the ticket: owner and watchers, the first line holding a weekend ticket, copies.
#
# Policy example 2 on a Friday evening: the mail arrives and is assigned in real time, then the ticket's recorded
# times are moved to Friday 21:30 CET (as t_65 dates a ticket for its digest); the scheduler runs with --once
# --now T at chosen moments through the weekend.  Times of day are local to Europe/Amsterdam (the CET teams) and
# converted with the system's tz database by date(1), independently of the GLib calendar code under test.

run=$RANDOM$RANDOM
ams() { TZ=Europe/Amsterdam date -d "$1" +%s; }                     # local Amsterdam time -> Unix time
ams_day() { TZ=Europe/Amsterdam date -d "@$1" +%F; }                 # Unix time -> its Amsterdam date
iso() { date -d "@$1" --iso-8601=seconds; }
pass_at() { sb scheduler --once --now "$(iso "$1")" >/dev/null 2>&1; }
epoch_of() { sb_sql "select extract(epoch from $1)::bigint from tickets where id = $2"; }  # COLUMN TICKET
# queued TICKET RCPT ERE - how many mails of TICKET to RCPT the outbox holds whose text matches ERE.
queued() { sb_sql "select count(*) from outbox where ticket_id = $1 and rcpt = '$2' and convert_from(data, 'UTF8') ~ '$3'"; }
# queued_at TICKET RCPT ERE - when the newest such mail may leave (Unix time, whole seconds down).
queued_at() {
    sb_sql "select floor(extract(epoch from next_attempt_at))::bigint from outbox where ticket_id = $1 and rcpt = '$2'
        and convert_from(data, 'UTF8') ~ '$3' order by id desc limit 1"
}
# As if ticket $1 had been recorded $2 seconds later: every time it has, and its messages and events.
move_ticket() {
    sb_sql "update tickets set created_at = created_at + make_interval(secs => $2), updated_at = updated_at + make_interval(secs => $2),
        acked_at = acked_at + make_interval(secs => $2), due_ack = due_ack + make_interval(secs => $2),
        due_first_response = due_first_response + make_interval(secs => $2),
        warn_first_response = warn_first_response + make_interval(secs => $2),
        due_update = due_update + make_interval(secs => $2), warn_update = warn_update + make_interval(secs => $2),
        due_resolution = due_resolution + make_interval(secs => $2),
        warn_resolution = warn_resolution + make_interval(secs => $2),
        update_since = update_since + make_interval(secs => $2), checked_until = null where id = $1;
        update messages set at = at + make_interval(secs => $2) where ticket_id = $1;
        update events set at = at + make_interval(secs => $2) where ticket_id = $1" >/dev/null
}

eng=eng67.$run@introserv.com admin=admin67.$run@introserv.com billing=bill67.$run@introserv.com
sb cli agent add "$eng" --name "Iryna" --team support >/dev/null
sb cli agent add "$admin" --name "Taras" --team sysadmins >/dev/null
sb cli agent add "$billing" --name "Oksana" --team billing >/dev/null
# Open tickets of earlier files would all breach when the clock jumps ahead: close them so the passes below
# are about this file's tickets (those files have finished; their assertions are made).
sb_sql "update tickets set status = 'closed' where status <> 'closed'" >/dev/null

t_case "policy example 2 on Friday 21:30 CET, never answered: the assignee is warned, the policy hands it on at 23:30"
c=vps67.$run@example.net
read -r t cmid < <(open_ticket "$c" "My VPS is slow" "Since this evening the VPS takes ages to load pages.")
t_assert_eq "support standard" "$(sb_sql "select team || ' ' || category from tickets where id = $t")" "first line, standard"
wait_mail "$c" 1 >/dev/null
agent_mail "$eng" "$t" >/dev/null <<<"#assign $eng"
wait_sql "select assignee from tickets where id = $t" "$eng" 15 >/dev/null
t_assert_eq "t" "$(sb_sql "select first_response_at is null from tickets where id = $t")" "nobody has answered the customer"
F=$(ams 'next friday 21:30')
move_ticket "$t" $((F - $(epoch_of created_at "$t")))
t_assert_eq $((F + 7200)) "$(epoch_of due_update "$t")" "news due at 23:30, the first line's 24/7 clock"
pass_at $((F + 8 * 60 + 5))
t_assert_eq 1 "$(queued "$t" "$eng" 'SLA warning: first_response')" "21:38: the assignee, at work, is warned of the first response"
t_assert_eq 0 "$(queued "$t" support-team@introserv.com 'SLA warning: first_response')" \
    "and not the team's mailbox besides"
pass_at $((F + 7200 + 60))
doc=$(sb cli ticket show "$t" --json)
t_assert_eq "sysadmins null $eng" "$(jq -r '"\(.team) \(.assignee) \(.watchers | join(","))"' <<<"$doc")" \
    "23:31: the system administrators own it, nobody in it is named, the former agent watches"
t_assert_match "unassigned $eng \\(now a watcher\\)" "$(jq -r '.events[].detail' <<<"$doc")" "the history says so"
t_assert_eq "assigned" "$(sb_sql "select string_agg(type, ' ') from events where ticket_id = $t and detail like 'unassigned %'")" \
    "a change of assignee, recorded as such"
t_assert_eq 0 "$(queued "$t" "$eng" 'Update due')" "the former agent gets no \"update due\": the customer was just told"
t_assert_match "no update reminder: the customer has had news since" \
    "$(sb_sql "select string_agg(detail, ' | ') from events where ticket_id = $t and type = 'notified'")" \
    "the update breach is still reported, without a reminder"
mon=$(date -d "$(ams_day "$F") + 3 days" +%F)
t_assert_eq "$(ams "$mon 08:00")" "$(queued_at "$t" sysadmins@introserv.com 'takes ages to load')" \
    "the team's copy of the ticket waits for Monday 08:00 CET"
t_assert_eq "$(ams "$mon 10:00")" "$(epoch_of due_update "$t")" "their update clock runs from Monday 08:00"
t_end

t_case "through the weekend the first line is reminded to write to the customer while the owners are away"
pass_at $((F + 4 * 3600 + 90))   # Saturday 01:31
t_assert_eq 1 "$(queued "$t" support-team@introserv.com 'Write to the customer')" \
    "Saturday 01:31: the first line's mailbox is reminded"
r=$(sb_sql "select convert_from(data, 'UTF8') from outbox where ticket_id = $t and rcpt = 'support-team@introserv.com'
    and convert_from(data, 'UTF8') ~ 'Write to the customer' order by id desc limit 1")
t_assert_match "no person" "$r" "it says no person has answered yet"
t_assert_match "Auto-Submitted: auto-generated" "$r" "marked automatic (RFC 3834)"
t_assert_match "In-Reply-To: <$cmid>" "$r" "threaded under the customer's request"
t_assert_true [ "$(queued_at "$t" support-team@introserv.com 'Write to the customer')" -le "$(date +%s)" ] \
    "at once: the first line works around the clock"
pass_at $((F + 6 * 3600 + 90))   # Saturday 03:31
pass_at $((F + 6 * 3600 + 95))   # a second pass at the same time reminds nobody again
t_assert_eq 2 "$(queued "$t" support-team@introserv.com 'Write to the customer')" "again every update interval, once each"
t_assert_eq 0 "$(queued "$t" "$eng" 'Write to the customer|Update due|SLA warning: (update|resolution)')" \
    "the watcher is told of no deadline"
t_end

t_case "Monday 08:00 CET: the system administrators get the ticket as its owner"
pass_at "$(ams "$mon 07:45")"
t_assert_eq 3 "$(queued "$t" support-team@introserv.com 'Write to the customer')" \
    "07:45: the first line is still reminded (the passes missed in between are not made up for)"
pass_at "$(ams "$mon 08:00:30")"
pass_at "$(ams "$mon 09:40")"
t_assert_eq 3 "$(queued "$t" support-team@introserv.com 'Write to the customer')" "none on the owners' shift"
copy=$(mail_matching sysadmins@introserv.com "INTROSERV #$t\\].*My VPS is slow")
t_assert_match "takes ages to load" "$(cat "$copy" 2>/dev/null)" "the team's mailbox has the ticket with its history"
t_assert_eq 1 "$(queued "$t" sysadmins@introserv.com 'SLA warning: update')" "09:40: the owner's mailbox is warned of the update"
pass_at "$(ams "$mon 10:00:30")"
t_assert_eq 1 "$(queued "$t" sysadmins@introserv.com 'Update due')" "10:00: the owner is reminded that the customer waits"
t_assert_eq 0 "$(queued "$t" "$eng" 'Update due|SLA warning: (update|resolution)')" "the former agent, never"
t_end

t_case "a follow-up reaches the assignee, the owning team and the watcher, tagged so that their answer threads"
agent_mail "$admin" "$t" >/dev/null <<<"#assign $admin"
wait_sql "select assignee from tickets where id = $t" "$admin" 15 >/dev/null
fmid=$(uniq_id)
sb send "$(mkmail <<EOF2
From: Customer <$c>
To: support@introserv.com
Subject: Re: My VPS is slow
In-Reply-To: <$cmid>
Message-ID: <$fmid>

It is still slow, and now the disk is full as well.
EOF2
)" >/dev/null
for a in "$admin" sysadmins@introserv.com "$eng"; do
    f=$(find_mail "$a" "$fmid")
    t_assert_match "\\[INTROSERV #$t\\]" "$(hdr "$f" Subject)" "$a gets the follow-up with the ticket's tag"
done
t_assert_match "disk is full" "$(cat "$f" 2>/dev/null)" "the customer's words"
agent_mail "$billing" "$t" >/dev/null <<<"#assign $billing"
err=$(mail_matching "$billing" "is in team billing, the ticket belongs to sysadmins")
t_assert_match "." "$err" "an agent of another team cannot be assigned: the assignee is one of the owning team"
t_assert_eq "$admin" "$(sb_sql "select assignee from tickets where id = $t")" "the assignee stays"
t_end

t_case "a billing ticket is copied to the first line at once, and to billing"
c=bill67.$run@example.net
read -r t cmid < <(open_ticket "$c" "Why was I charged twice?" "My card was charged twice for invoice 4711.")
t_assert_eq billing "$(sb_sql "select team from tickets where id = $t")" "classified straight to billing"
for a in support-team@introserv.com billing@introserv.com; do
    f=$(find_mail "$a" "$cmid")
    t_assert_match "\\[INTROSERV #$t\\] Why was I charged twice" "$(hdr "$f" Subject)" "$a has the new ticket, tagged"
done
t_end
