# t_69_overload.sh - the first line's backlog: one notice per overload episode, new standard tickets to the overflow team meanwhile.
#
# The daemon scheduler is stopped and passes run with --once --now at Monday 10:00 CET and the minutes after, when
# both level-2 teams (billing, data centre) are at work, so who is told does not depend on the day the suite runs.

run=$RANDOM$RANDOM
conf=$SUPPORTGATE_SANDBOX/supportgate.conf
duty=duty69.$run@introserv.com
mon=$(TZ=Europe/Amsterdam date -d 'next monday 10:00' +%s)
episodes() { sb_sql "select count(*) from overload_episodes"; }
open_episodes() { sb_sql "select count(*) from overload_episodes where ended_at is null"; }
# overload_mail RCPT - how many overload notices the outbox holds for RCPT.
overload_mail() {
    sb_sql "select count(*) from outbox where rcpt = '$1' and ticket_id is null and convert_from(data, 'UTF8') ~ '\nSubject: Overload:'"
}
team_of() { sb_sql "select team from tickets where id = $1"; }
metric() { sb cli metrics | awk -v n="$1" '$1 == n { print $2 }'; }
# waiting N - N new tickets from distinct customers, none answered; prints their ids.
waiting() {
    for i in $(seq 1 "$1"); do
        open_ticket "w$i.$2.$run@example.net" "Site $i is down ($2)" "Nothing loads on site $i since this morning." |
            cut -d' ' -f1
    done
}

# Earlier files' open tickets would count as waiting: close them (their assertions are made).
sb_sql "update tickets set status = 'closed' where status <> 'closed'" >/dev/null
cp -p "$conf" "$conf.t69"
printf 'overload_backlog = 25\noverload_notify = %s\noverflow_team = datacenter\n' "$duty" >> "$conf"
t_assert_true sb_reload milter "the milter reloads with the overload thresholds"
sb_stop_scheduler
base=$(episodes)

t_case "24 tickets waiting for a first response are no overload; the 25th begins one episode, told once"
mapfile -t first < <(waiting 24 a)
t_assert_eq 24 "${#first[@]}" "24 tickets opened"
pass_at "$mon"
t_assert_eq "$base" "$(episodes)" "24 waiting: no episode"
mapfile -t more < <(waiting 1 b)
# Two schedulers' passes at once open one episode between them.
pass_at $((mon + 60)) & pass_at $((mon + 60)) & wait
pass_at $((mon + 120))
t_assert_eq $((base + 1)) "$(episodes)" "one episode from three passes, two of them at once"
t_assert_eq 1 "$(open_episodes)" "and it is open"
t_assert_eq 25 "$(sb_sql "select backlog from overload_episodes where ended_at is null")" "it began at 25 waiting"
t_assert_eq 1 "$(overload_mail "$duty")" "the duty manager is told once"
t_assert_eq 1 "$(overload_mail billing@introserv.com)" "billing, at work on Monday 10:00 CET, is told once"
t_assert_eq 1 "$(overload_mail datacenter@introserv.com)" "the data-centre team, at work, is told once"
t_assert_eq 0 "$(overload_mail sysadmins@introserv.com)" "the level-3 team is not told"
p=$(mail_matching "$duty" 'Overload') || p=""
t_assert_true [ -n "$p" ] "the notice reaches the duty manager's mailbox"
# The pass that opened it ran at Monday 10:01 CET; the oldest ticket was written today.
# The wait in whole seconds as the pass rounds it (created_at has microseconds), then in whole minutes.
waited=$(( $(sb_sql "select extract(epoch from to_timestamp($((mon + 60))) - created_at)::bigint from tickets where id = ${first[0]}") / 60 ))
t_assert_eq "Overload: 25 tickets wait for a first response, the oldest for $((waited / 60)) h $((waited % 60)) min" \
    "$(hdr "$p" Subject 2>/dev/null | tr -s ' ')" "its subject says how many wait and for how long, in hours and minutes"
t_assert_eq "auto-generated" "$(hdr "$p" Auto-Submitted 2>/dev/null)" "it is Auto-Submitted: auto-generated (RFC 3834)"
text=$(mail_text "$p" 2>/dev/null)
t_assert_match "\[INTROSERV #${first[0]}\]" "$text" "it lists the ticket that has waited longest"
t_assert_match "data-centre technicians" "$text" "and names the overflow team in the staff's words"
t_end

t_case "meanwhile a standard request goes to the overflow team; classified and simple requests stay where they belong"
read -r slow _ < <(open_ticket "slow.$run@example.net" "My VPS is slow" "The VPS has been slow since noon.")
read -r bill _ < <(open_ticket "bill.$run@example.net" "Invoice question" "Why was I charged twice on my invoice?")
read -r pass _ < <(open_ticket "pw.$run@example.net" "Password reset" "I forgot my password.")
t_assert_eq datacenter "$(team_of "$slow")" "the standard request goes to the overflow team"
t_assert_eq 1 "$(sb_sql "select count(*) from events where ticket_id = $slow and type = 'escalated'
    and detail like 'to datacenter: the first line is overloaded%'")" "its history says why"
t_assert_eq billing "$(team_of "$bill")" "a billing request stays with billing"
t_assert_eq support "$(team_of "$pass")" "a simple request stays with the first line"
t_assert_true [ -n "$(wait_mail support-team@introserv.com 1 2>/dev/null | xargs grep -l "INTROSERV #$slow" 2>/dev/null)" ] \
    "the first line still gets its copy of the new ticket"
json=$(sb cli status --json)
t_assert_eq "25 datacenter" "$(jq -r '.overload | "\(.backlog) \(.overflow_team)"' <<<"$json")" "status --json shows the episode"
t_assert_true [ "$(jq -r '.first_responses_owed.waiting' <<<"$json")" -ge 28 ] "and the first responses owed"
t_assert_match '^overload: since .*, 25 waiting then, peak 25, new standard tickets to datacenter$' \
    "$(sb cli status | grep '^overload:')" "status says it in a line"
t_assert_eq 1 "$(metric supportgate_overload_active)" "metrics: an episode is active"
pass_at $((mon + 150))
t_assert_eq 1 "$(overload_mail "$duty")" "a pass while it goes on tells no one again"
t_end

t_case "under the threshold again the episode ends; new standard requests go to the first line again"
ids=$(IFS=,; echo "${first[*]:0:10}")
sb_sql "update tickets set first_response_at = now() where id in ($ids)" >/dev/null
pass_at $((mon + 180))
t_assert_eq 0 "$(open_episodes)" "the episode ended"
t_assert_eq 28 "$(sb_sql "select peak_backlog from overload_episodes order by id desc limit 1")" \
    "its peak is recorded (25 + the three requests above)"
t_assert_eq 1 "$(overload_mail "$duty")" "no second notice"
read -r after _ < <(open_ticket "after.$run@example.net" "My site is slow" "The site loads slowly.")
t_assert_eq support "$(team_of "$after")" "the next standard request stays with the first line"
t_assert_eq "overload: none" "$(sb cli status | grep '^overload:')" "status: no overload"
t_assert_eq 0 "$(metric supportgate_overload_active)" "metrics: none active"
t_assert_eq $((base + 1)) "$(metric supportgate_overload_episodes_total)" "one episode counted"
t_end

t_case "a configuration that names an unknown overflow team or a bad duty address is refused with file and line"
bad=$SUPPORTGATE_SANDBOX/t69-bad.conf
cp "$conf.t69" "$bad"
echo "overflow_team = helpdesk" >> "$bad"
t_assert_match ':[0-9]+: overflow_team: no such team: "helpdesk"' "$("$SG_BUILDDIR/supportgate" -c "$bad" config check 2>&1)" \
    "an unknown team is named"
cp "$conf.t69" "$bad"
echo "overload_notify = duty-manager" >> "$bad"
t_assert_match ':[0-9]+: overload_notify: not a mail address' "$("$SG_BUILDDIR/supportgate" -c "$bad" config check 2>&1)" \
    "a bad address is named"
rm -f "$bad"
t_end

cp -p "$conf.t69" "$conf" && rm -f "$conf.t69"
sb_reload milter >/dev/null
sb_sql "update tickets set status = 'closed' where status <> 'closed'" >/dev/null
sb up >/dev/null 2>&1
