# t_52_desk.sh - the desk's views: the queue in deadline order, with who holds each ticket and how long its customer waits.

run=$RANDOM$RANDOM

t_case "queue: a team's open tickets, next deadline first, with the customer's wait in hours and minutes"
read -r qa _ < <(open_ticket "qa.t52.$run@example.net" "Queue later $run")
read -r qb _ < <(open_ticket "qb.t52.$run@example.net" "Queue sooner $run")
# Deadlines fixed by hand, so the order is the test's, not the clock's.
sb_sql "update tickets set team = 'billing', assignee = NULL, status = 'open', due_ack = NULL, due_first_response = NULL,
    due_resolution = NULL, due_update = now() + CASE id WHEN $qa THEN interval '5 h' ELSE interval '3 h' END
    where id in ($qa, $qb)" >/dev/null
sb_sql "update messages set at = now() - interval '2 hours 27 minutes 20 seconds' where ticket_id = $qa and kind = 'customer'" >/dev/null
json=$(sb cli queue billing --json)
t_assert_eq "$qb $qa" "$(jq -r --argjson a "$qa" --argjson b "$qb" \
    '[.tickets[] | select(.id == $a or .id == $b) | .id] | map(tostring) | join(" ")' <<<"$json")" \
    "the sooner deadline comes first"
t_assert_eq "billing" "$(jq -r --argjson a "$qa" '.tickets[] | select(.id == $a) | .team' <<<"$json")" "the owning team"
# An estimate told to the customer is a deadline too: one sooner than the update clock puts the ticket first.
sb_sql "update tickets set eta = now() + interval '1 h' where id = $qa" >/dev/null
t_assert_eq "$qa $qb" "$(sb cli queue billing --json | jq -r --argjson a "$qa" --argjson b "$qb" \
    '[.tickets[] | select(.id == $a or .id == $b) | .id] | map(tostring) | join(" ")')" "an estimate due sooner comes first"
sb_sql "update tickets set eta = NULL where id = $qa" >/dev/null
t_assert_match '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+[+-][0-9]{2}' \
    "$(jq -r --argjson a "$qa" '.tickets[] | select(.id == $a) | .next_due' <<<"$json")" "next_due is ISO 8601 with an offset"
t_assert_match '^88[4-9][0-9]$' "$(jq -r --argjson a "$qa" '.tickets[] | select(.id == $a) | .waiting_s' <<<"$json")" \
    "waiting_s counts from the unanswered mail"
t_assert_eq "id,team,assignee,status,next_due,waiting_s" \
    "$(jq -r '.tickets[0] | [keys_unsorted[] | select(IN("id","team","assignee","status","next_due","waiting_s"))] | join(",")' <<<"$json")" \
    "each ticket has the contract's fields"
text=$(sb cli queue billing)
t_assert_match "^$qa +billing +- +open +[0-9-]+ [0-9:]+[+-][0-9]+ +2 h 27 min +Queue later" \
    "$(grep -E "^$qa " <<<"$text")" "the text line: team, assignee, status, deadline, wait"
t_assert_eq 0 "$(sb cli queue support --json | jq --argjson a "$qa" '[.tickets[] | select(.id == $a)] | length')" \
    "another team's queue leaves it out"
out=$(sb cli queue nosuchteam 2>&1); rc=$?
t_assert_ne 0 "$rc" "an unknown team fails"
t_assert_match 'no team "nosuchteam"' "$out" "and says which"
t_end

t_case "tickets list: assignee and next deadline, --requester and --search (wildcards are literal)"
read -r la _ < <(open_ticket "La.t52.$run@example.net" "Invoice $run" "We were charged 50% twice, ref zq$run.")
read -r lb _ < <(open_ticket "lb.t52.$run@example.net" "Invoice $run" "We were charged 500 twice, ref zq$run.")
sb_sql "update tickets set assignee = 'agent.t52@introserv.com', status = 'open', acked_at = now(), first_response_at = now(),
    due_resolution = NULL, due_update = '2031-03-04 05:06:00+00' where id = $la" >/dev/null
json=$(sb cli tickets list --requester "la.t52.$run@EXAMPLE.net" --json)
t_assert_eq "$la" "$(jq -r 'map(.id) | join(" ")' <<<"$json")" "--requester finds the one ticket, in any case"
t_assert_eq "agent.t52@introserv.com" "$(jq -r '.[0].assignee' <<<"$json")" "the JSON keeps assignee"
t_assert_match '^2031-03-04T' "$(jq -r '.[0].next_due' <<<"$json")" "and carries next_due"
t_assert_eq "$lb $la" "$(sb cli tickets list --search "ZQ$run" --json | jq -r 'map(.id) | join(" ")')" \
    "--search reads the messages, in any case"
t_assert_eq "$la" "$(sb cli tickets list --search "50%" --json | jq -r --argjson a "$la" --argjson b "$lb" \
    'map(select(.id == $a or .id == $b) | .id) | join(" ")')" "% is a character, not a wildcard"
t_assert_eq "" "$(sb cli tickets list --search "zq${run}_" --json | jq -r 'map(.id) | join(" ")')" \
    "_ is a character, not a wildcard"
t_assert_eq "$lb $la" "$(sb cli tickets list --search "invoice $run" --json | jq -r 'map(.id) | join(" ")')" \
    "--search reads the subject"
text=$(sb cli tickets list --requester "la.t52.$run@example.net")
t_assert_match '^ID +STATUS +CHANNEL +TEAM +LVL +ASSIGNEE +CREATED +NEXT DUE +SLA' "$(head -1 <<<"$text")" "the new columns"
t_assert_match "^$la +open .* agent\.t52@introserv\.com +[0-9-]+ [0-9:]+ +2031-03-04 [0-9:]+ " "$(sed -n 2p <<<"$text")" \
    "the line shows assignee and next deadline"
t_end

t_case "config check: a mistyped key names the nearest one, an out-of-range value its bounds"
bad=$(mktemp)
{ cat "$SUPPORTGATE_SANDBOX/supportgate.conf"; echo "ack_limt_per_hour = 5"; } > "$bad"
out=$("$SG_BUILDDIR/supportgate" -c "$bad" config check 2>&1); rc=$?
t_assert_ne 0 "$rc" "a mistyped key fails"
t_assert_match "$bad:$(wc -l < "$bad"): ack_limt_per_hour: unknown key \(did you mean 'ack_limit_per_hour'\?\)" "$out" \
    "and suggests the key"
{ cat "$SUPPORTGATE_SANDBOX/supportgate.conf"; echo "db_timeout = 45s"; } > "$bad"
out=$("$SG_BUILDDIR/supportgate" -c "$bad" config check 2>&1)
t_assert_match "$bad:$(wc -l < "$bad"): db_timeout: out of range: \"45s\" \(allowed: 1s to 20s\)" "$out" \
    "an out-of-range value states the bounds"
rm -f "$bad"
t_end

t_case "status in text: readable lines, no JSON"
st=$(sb cli status)
t_assert_no_match '[{}]|"' "$st" "no JSON in the text form"
t_assert_match '(^|
)schema: version [0-9]+ \(expected [0-9]+\)(
|$)' "$st" "the schema on a line of its own"
t_assert_match '(^|
)scheduler [^ ]+: last pass [0-9]+ s ago' "$st" "each scheduler on a line"
t_assert_match '(^|
)open tickets: .*billing [0-9]+' "$st" "open tickets per team"
t_assert_match '(^|
)breaches in the last hour: [0-9]+(
|$)' "$st" "breaches of the last hour"
t_end

t_case "ticket show reads as the conversation: the customer's mails, what they received, key events; --full has the rest"
agent=conv.t52.$run@introserv.com
sb cli agent add "$agent" --name "Mariia Shevchenko" --team support >/dev/null
read -r tc _ < <(open_ticket "conv.t52.$run@example.net" "Conversation $run" "My site shows error 502 since noon.")
wait_mail "conv.t52.$run@example.net" 1 >/dev/null
agent_mail "$agent" "$tc" >/dev/null <<<"#internal
The upstream php-fpm pool is exhausted; raising pm.max_children."
agent_mail "$agent" "$tc" >/dev/null <<<"Hello, we found the cause and are fixing it now."
wait_sql "select count(*) from messages where ticket_id = $tc and kind = 'agent' and direction = 'out'" 1 20 >/dev/null
view=$(sb cli ticket show "$tc")
t_assert_match "conv\.t52\.$run@example\.net> wrote:" "$view" "the customer's mail, by whom"
t_assert_match "Mariia Shevchenko <$agent> answered:" "$view" "the answer names the agent, not support@"
t_assert_match 'we found the cause' "$view" "with the words the customer received"
t_assert_match 'acknowledgement to the customer:' "$view" "the acknowledgement as one line"
t_assert_match '\[created\]' "$view" "the key events"
t_assert_no_match 'php-fpm' "$view" "the internal note is not part of the conversation"
t_assert_match "more message\(s\) and [0-9]+ more event\(s\): supportgate ticket show $tc --full" "$view" \
    "it says what it left out and how to see it"
t_assert_match '^  times +[A-Za-z_/+0-9-]+$' "$(grep -E '^  times ' <<<"$view")" "one time zone, named once"
t_assert_eq "" "$(sed -n '/^conversation/,$p' <<<"$view" | grep -E '^  [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]+[+-][0-9]{2}')" \
    "no line of the conversation carries an offset of its own"
full=$(sb cli ticket show "$tc" --full)
t_assert_match 'php-fpm' "$full" "--full has the internal note"
t_assert_match "Mariia Shevchenko <$agent> as support@introserv\.com" "$full" "--full names the agent behind support@"
t_assert_true [ "$(wc -l <<<"$full")" -gt "$(wc -l <<<"$view")" ] "the conversation is the shorter read"
t_end
