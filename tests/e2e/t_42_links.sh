# t_42_links.sh - tickets that belong together: #link shows both ways, #merge moves the mail and tells the customer once.

run=$RANDOM$RANDOM
agent=links42.$run@introserv.com
sb cli agent add "$agent" --name "Taras" --team support >/dev/null
links() { sb cli ticket show "$1" --json | jq -c '[.links[] | "\(.type):\(.ticket)"]'; }
count_mail() { sb mail "$1" | grep -c . || true; }
# reply FROM SUBJECT - a customer's mail to support@; prints its Message-ID once recorded.
reply() {
    local f mid
    f=$(plain_mail "$1" support@introserv.com "$2" "${3:-One more detail.}")
    mid=$(mail_id "$f")
    sb send "$f" >/dev/null
    wait_sql "select count(*) from messages where message_id = '$mid'" 1 15 >/dev/null
    echo "$mid"
}
# refused TICKET ERE - the agent's command on TICKET (stdin) is refused with a reply matching ERE; nothing changes.
refused() {
    local t=$1 ere=$2 before had
    before=$(sb_sql "select status || coalesce(merged_into::text, '') || (select count(*) from ticket_links where $t in (ticket_id, other_id)) from tickets where id = $t")
    had=$(count_mail "$agent")
    agent_mail "$agent" "$t" >/dev/null
    t_assert_true wait_until 15 at_least $((had + 1)) count_mail "$agent" "the agent gets an answer"
    t_assert_match "$ere" "$(mail_text "$(sb mail "$agent" | tail -1)")" "it says why: $ere"
    t_assert_eq "$before" "$(sb_sql "select status || coalesce(merged_into::text, '') || (select count(*) from ticket_links where $t in (ticket_id, other_id)) from tickets where id = $t")" \
        "the ticket is unchanged"
}

a=a42.$run@example.net b=b42.$run@example.net
read -r ta _ < <(open_ticket "$a" "Site down" "My site at $run.example.net is down.")
read -r tb _ < <(open_ticket "$b" "Cannot reach server" "Server $run.example.net does not answer.")
read -r tc _ < <(open_ticket "$a" "Mail bounces" "Mail to my domain bounces.")
wait_mail "$a" 2 >/dev/null; wait_mail "$b" 1 >/dev/null

t_case "#link N: the relation is shown from both tickets, once, and the customers get nothing"
agent_mail "$agent" "$tc" >/dev/null <<<"#link $ta"
wait_sql "select count(*) from ticket_links where ticket_id = $tc and other_id = $ta and type = 'linked'" 1 15 >/dev/null
agent_mail "$agent" "$ta" >/dev/null <<<"#link #$tc"
sleep 1
t_assert_eq "[\"linked:$ta\"]" "$(links "$tc")" "the linked ticket shows the relation"
t_assert_eq "[\"linked:$tc\"]" "$(links "$ta")" "and so does the other, once though it was linked from both"
t_assert_eq 2 "$(sb_sql "select count(*) from events where type = 'linked' and ticket_id in ($ta, $tc)")" \
    "one event on each ticket"
t_assert_eq "status:linked" "$(sb cli ticket show "$ta" --json | jq -r '[.events[] | select(.change == "linked") | "\(.type):\(.change)"] | join(" ")')" \
    "ticket show reports it as a status event with its change"
t_assert_eq 2 "$(count_mail "$a")" "the customer receives nothing"
t_end

t_case "#merge N: the customer is told once, the mail moves to N, the merged ticket closes pointing at it"
moved=$(sb_sql "select count(*) from messages where ticket_id = $tb and sender = '$b'")
# resolution_figures - tickets and met of the resolution clock in the SLA report of the tickets since ta's.
since=$(sb_sql "select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') from tickets where id = $ta")
resolution_figures() {
    sb cli sla report --since "$since" --json | jq -r '[.rows[] | select(.sla == "resolution")] | "\(map(.tickets) | add) \(map(.met) | add)"'
}
read -r res_tickets res_met < <(resolution_figures)
agent_mail "$agent" "$tb" >/dev/null <<<"#merge $ta"
wait_sql "select status from tickets where id = $tb" closed 15 >/dev/null
t_assert_eq "closed $ta" "$(sb_sql "select status || ' ' || merged_into from tickets where id = $tb")" "the merged ticket is closed, merged into N"
t_assert_eq "[\"merged_into:$ta\"]" "$(links "$tb")" "ticket show: merged_into"
t_assert_match "\"merged_from:$tb\"" "$(links "$ta")" "and merged_from on N"
t_assert_eq 0 "$(sb_sql "select count(*) from messages where ticket_id = $tb")" "no mail is left on the merged ticket"
t_assert_true [ "$(sb_sql "select count(*) from messages where ticket_id = $ta and sender = '$b'")" -ge "$moved" ] \
    "its customer's mail is on N"
notice=$(wait_mail "$b" 2 | tail -1)
t_assert_match "\[INTROSERV #$ta\]" "$(mail_text "$notice")" "the customer is told the ticket it now lives under"
t_assert_eq "auto-generated" "$(hdr "$notice" Auto-Submitted)" "the notice is Auto-Submitted: auto-generated"
sleep 1
t_assert_eq 2 "$(count_mail "$b")" "told once"
t_assert_eq "$((res_tickets - 1)) $res_met" "$(resolution_figures)" \
    "the SLA report leaves the duplicate out: closed by the merge, its resolution clock met nothing"
t_end

t_case "later mail to either tag lands in N, from the merged ticket's customer too"
m1=$(reply "$b" "Re: [INTROSERV #$tb] Cannot reach server")
t_assert_eq "$ta" "$(sb_sql "select ticket_id from messages where message_id = '$m1'")" "mail to the merged tag lands in N"
t_assert_eq closed "$(sb_sql "select status from tickets where id = $tb")" "the merged ticket stays closed"
m2=$(reply "$b" "Re: [INTROSERV #$ta] Site down")
t_assert_eq "$ta" "$(sb_sql "select ticket_id from messages where message_id = '$m2'")" "the merged ticket's customer writes to N itself"
t_end

t_case "a merge into the ticket itself, a closed or unknown ticket, and a link to an unknown one are refused"
refused "$tc" "#merge: $tc is this ticket itself" <<<"#merge $tc"
refused "$tc" "#merge: ticket $tb is closed" <<<"#merge $tb"
refused "$tc" "#merge: there is no ticket 999999999" <<<"#merge 999999999"
refused "$tc" "#link: there is no ticket 999999999" <<<"#link 999999999"
refused "$tc" "#merge: not with #escalate" <<<"#merge $ta
#escalate billing"
t_assert_eq 2 "$(count_mail "$a")" "the customer receives nothing"
t_end

t_case "a reply to a closed ticket within reopen_window (14 days) reopens it, with the reason in its history"
d=d42.$run@example.net
read -r td _ < <(open_ticket "$d" "Mail bounces" "Mail to info@$run.example.net bounces.")
agent_mail "$agent" "$td" >/dev/null <<<"#status closed
Fixed: the MX record was wrong."
wait_sql "select status from tickets where id = $td" closed 15 >/dev/null
m=$(reply "$d" "Re: [INTROSERV #$td] Mail bounces" "It bounces again since this morning.")
t_assert_eq "$td" "$(sb_sql "select ticket_id from messages where message_id = '$m'")" "the reply joins the closed ticket"
t_assert_eq "open" "$(sb_sql "select status || coalesce(closed_at::text, '') from tickets where id = $td")" "it is open again"
t_assert_match "closed -> open: customer replied within reopen_window" \
    "$(sb cli ticket show "$td" --json | jq -r '.events[].detail')" "the history says why"
t_end

t_case "after the window the reply opens a new ticket, reopened from the closed one and linked both ways"
agent_mail "$agent" "$td" >/dev/null <<<"#status closed"
wait_sql "select status from tickets where id = $td" closed 15 >/dev/null
# The milter records the next mail 15 days on (the sandbox's test clock); a stop half-way must not leave it there.
trap 'sb clock off; t_file_exit' EXIT
sb clock "+15 days" >/dev/null
m=$(reply "$d" "Re: [INTROSERV #$td] Mail bounces" "Half a month later it bounces again.")
sb clock off
te=$(sb_sql "select ticket_id from messages where message_id = '$m'")
t_assert_true [ "$te" != "$td" ] "a new ticket, not the one closed 15 days before"
t_assert_eq closed "$(sb_sql "select status from tickets where id = $td")" "the old ticket stays closed"
t_assert_eq "[\"reopened_from:$td\"] [\"linked:$te\"]" "$(links "$te") $(links "$td")" \
    "each ticket shows the other: the new one as reopened from the closed one"
t_assert_match "follows up ticket #$td, closed longer than reopen_window ago" \
    "$(sb_sql "select detail from events where ticket_id = $te and type = 'created'")" "the new ticket's history names the old one"
t_assert_eq 1 "$(sb_sql "select count(*) from outbox where ticket_id = $te and kind = 'ack'")" "its customer is acknowledged, as for any new ticket"
note() { sb_sql "select m.$1 from messages m join outbox o on o.message_row = m.id where o.ticket_id = $te
    and o.rcpt = 'support-team@introserv.com' and m.subject like '%follows up%' limit 1"; }
t_assert_eq "[INTROSERV #$te] follows up closed ticket [INTROSERV #$td]" "$(note subject)" \
    "the first line gets a note that the new ticket follows up the closed one"
body=$(note body)
t_assert_match "answered:.*> Fixed: the MX record was wrong\..*wrote:.*> It bounces again since this morning\." \
    "$(tr '\n' ' ' <<<"$body")" "quoting the closed ticket's last exchange: the answer, then the customer's last mail"
# Queued 15 days on: sent now it would count as an acknowledgement sent before its mail came (a negative
# latency in metrics); drop it, so no later file finds it waiting.
sb_sql "delete from outbox where ticket_id = $te and sent_at is null" >/dev/null
t_end

sb_sql "update tickets set status = 'closed' where id in ($ta, $tc, $te)" >/dev/null
