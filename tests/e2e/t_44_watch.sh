# t_44_watch.sh - possible incidents: five customers naming one server within the window get the first line one notice.
#
# The daemon scheduler is stopped and passes run with --once at this moment, so each step reads exactly the tickets
# opened before it.  Earlier files' tickets are closed first: they could share a clue with these.

run=$RANDOM$RANDOM
conf=$SUPPORTGATE_SANDBOX/supportgate.conf
host=web12.t44-$run.example.net
first=support-team@introserv.com
# watch_mail - how many possible-incident notices the first line's outbox holds about $host.
watch_mail() {
    sb_sql "select count(*) from outbox where rcpt = '$first' and ticket_id is null
            and convert_from(data, 'UTF8') ~ '\nSubject: Possible incident: ' and convert_from(data, 'UTF8') ~ '$1'"
}
notices() { sb_sql "select count(*) from possible_incidents"; }
# Three seconds on: the notice a pass queues is due from the real moment it was queued, which must not fall after
# --now (whole seconds) even when the pass starts late on a loaded machine.
pass_now() { pass_at $(($(date +%s) + 3)); }
# customers N TAG TEXT - N tickets from N distinct customers; prints their ids.
customers() {
    for i in $(seq 1 "$1"); do
        open_ticket "c$i.$2.$run@example.net" "Site $i of $2 is down" "$3" | cut -d' ' -f1
    done
}

sb_sql "update tickets set status = 'closed' where status <> 'closed'" >/dev/null
cp -p "$conf" "$conf.t44"
printf 'incident_watch_tickets = 5\nincident_watch_window = 10m\nincident_watch_clues = hosts addresses keywords\nincident_watch_keywords = outage t44-%s\n' \
    "$run" >> "$conf"
sb_stop_scheduler
base=$(notices)

t_case "four customers naming one server are no incident; the fifth raises one notice to the first line, listing all five"
mapfile -t a < <(customers 4 a "Hello, my site on $host gives 502 since 10:00. Mail me at me@$host.")
pass_now
t_assert_eq "$base" "$(notices)" "four customers: no notice"
mapfile -t b < <(customers 1 b "Our shop on server $host is unreachable, please check.")
pass_now
t_assert_eq $((base + 1)) "$(notices)" "five customers within ten minutes: one possible incident"
t_assert_eq 1 "$(watch_mail "$host")" "one notice to the first line's mailbox"
p=$(mail_matching "$first" "^Subject: Possible incident") || p=""
t_assert_true [ -n "$p" ] "it reaches the first line's mailbox"
t_assert_eq "Possible incident: 5 customers mention the server $host within 10 min" \
    "$(hdr "$p" Subject 2>/dev/null | tr -s ' ')" "its subject names the server and the window in minutes"
t_assert_eq "auto-generated" "$(hdr "$p" Auto-Submitted 2>/dev/null)" "it is Auto-Submitted: auto-generated (RFC 3834)"
text=$(mail_text "$p" 2>/dev/null)
for t in "${a[@]}" "${b[@]}"; do
    t_assert_match "\[INTROSERV #$t\]" "$text" "it lists ticket #$t"
done
t_assert_match '#incident new' "$text" "it says how to make it an incident"
t_assert_eq "" "$(sb_sql "select string_agg(id::text, ',') from tickets where id in ($(IFS=,; echo "${a[*]},${b[*]}")) and incident_id is not null")" \
    "it links nothing by itself"
t_assert_match "possible incident: 5 tickets" "$(sb_sql "select detail from events where ticket_id = ${a[0]} and type = 'notified'")" \
    "each listed ticket's history says the first line was told"
t_assert_eq "$((base + 1))" "$(sb cli metrics | awk '$1 == "supportgate_possible_incidents_total" { print $2 }')" \
    "metrics count the notice"
t_end

t_case "a sixth customer on the same server is the same episode: no second notice"
mapfile -t c < <(customers 1 c "Is $host down? My site is unreachable too.")
pass_now
t_assert_eq $((base + 1)) "$(notices)" "still one possible incident"
t_assert_eq 1 "$(watch_mail "$host")" "still one notice"
t_end

t_case "one customer's five tickets, and five tickets spread over more than the window, raise nothing"
other=db7.t44-$run.example.net
for i in 1 2 3 4 5; do open_ticket "same.$run@example.net" "Again $i" "Server $other is down again." >/dev/null; done
pass_now
t_assert_eq 0 "$(watch_mail "$other")" "one customer five times is no incident"
late=mx3.t44-$run.example.net
mapfile -t old < <(customers 3 old "Mail on $late bounces.")
pass_now
sb_sql "update ticket_clues set created_at = created_at - interval '15 minutes' where ticket_id in ($(IFS=,; echo "${old[*]}"))" >/dev/null
mapfile -t new < <(customers 2 new "Mail on $late bounces.")
pass_now
t_assert_eq 0 "$(watch_mail "$late")" "three 15 minutes ago and two now: no notice"
t_end

t_case "an address and a keyword are clues too; quoted text is not"
mapfile -t k < <(customers 5 kw "Our sites behind 198.51.100.$((run % 250 + 1)) show an outage t44-$run now.")
pass_now
t_assert_eq 1 "$(sb_sql "select count(*) from possible_incidents where tickets && array[${k[0]}]::bigint[]")" \
    "five customers naming one address and keyword: one notice (the address and the keyword are one episode)"
quoted=q.t44-$run.example.net
for i in 1 2 3 4 5; do
    open_ticket "q$i.$run@example.net" "Question $i" "$(printf 'Thanks.\n\n> Earlier: is %s down?\n' "$quoted")" >/dev/null
done
pass_now
t_assert_eq 0 "$(watch_mail "$quoted")" "a server named only in quoted text is no clue"
t_end

t_case "with category among the clues, five customers' requests classified alike raise one notice"
sed -i 's/^incident_watch_clues = .*/incident_watch_clues = hosts addresses keywords category/' "$conf"
mapfile -t r < <(customers 5 cat "We ask for a refund of last month's fee after the chargeback, please.")
t_assert_eq "billing/complex" "$(sb_sql "select string_agg(distinct team || '/' || category, ' ') from tickets where id in ($(IFS=,; echo "${r[*]}"))")" \
    "the five are classified alike (billing, complex)"
pass_now
t_assert_eq "class:billing/complex 5" \
    "$(sb_sql "select clue || ' ' || cardinality(tickets) from possible_incidents where tickets @> array[$(IFS=,; echo "${r[*]}")]::bigint[]")" \
    "one notice, its clue the classification, listing the five"
t_end

t_case "config check refuses an unknown kind of clue, naming file and line"
t_assert_match ':[0-9]+: incident_watch_clues: not a kind of clue .*"servers"' \
    "$(config_check_of "$conf.t44" "incident_watch_clues = hosts servers")" "the unknown word is named"
t_end

cp -p "$conf.t44" "$conf" && rm -f "$conf.t44"
sb_sql "update tickets set status = 'closed' where status <> 'closed'" >/dev/null
sb up >/dev/null 2>&1
