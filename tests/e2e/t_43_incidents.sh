# t_43_incidents.sh - one problem behind many tickets: an incident joins them, one agent mail reaches every customer.
#
# Three customers write in Ukrainian, Russian and English about the same outage; an agent opens an incident from
# the first ticket and joins the others.  A mail to the incident's tag reaches each customer once, in their
# language, threaded into their own ticket; a fourth customer who joins later gets the latest news at once;
# resolving the incident resolves every ticket with a final message.  Wrong uses are refused and change nothing.

run=$RANDOM$RANDOM
agent=inc43.$run@introserv.com
sb cli agent add "$agent" --name "Dmytro Bondar" --team support >/dev/null

# tell_incident ID SUBJECT - an agent's mail to the incident's tag (body from stdin); prints its Message-ID.
tell_incident() { agent_mail "$agent" 0 "[INTROSERV INC-$1] $2"; }

t_case "#incident new opens an incident from a ticket; #incident ID joins two more"
cu=uk43.$run@example.net cr=ru43.$run@example.net ce=en43.$run@example.net cl=late43.$run@example.net
read -r tu mu < <(open_ticket "$cu" "Сайт не працює" "Не працює сайт, видає помилку 502. Допоможіть, будь ласка, це наш інтернет-магазин.")
read -r tr mr < <(open_ticket "$cr" "Сайт не работает" "Не работает сайт, выдаёт ошибку 502. Помогите, пожалуйста, это наш интернет-магазин.")
read -r te me < <(open_ticket "$ce" "Site down" "Our site returns error 502 since ten minutes ago. Please help, it is our online shop.")
for c in "$cu" "$cr" "$ce"; do wait_mail "$c" 1 >/dev/null; done
t_assert_eq "uk ru en" "$(sb_sql "select string_agg(lang, ' ' order by array_position(array[$tu, $tr, $te]::bigint[], id)) from tickets where id in ($tu, $tr, $te)")" \
    "the three tickets are in their customers' languages"

agent_mail "$agent" "$tu" >/dev/null <<<"#incident new Storage array down in DC2"
inc=$(wait_sql "select coalesce(incident_id::text, '') from tickets where id = $tu and incident_id is not null" '' 20)
t_assert_match '^[0-9]+$' "$inc" "the ticket is in a new incident"
agent_mail "$agent" "$tr" >/dev/null <<<"#incident INC-$inc"
agent_mail "$agent" "$te" >/dev/null <<<"#incident $inc"
wait_sql "select count(*) from tickets where incident_id = $inc" 3 20 >/dev/null
list=$(sb cli incidents list --json)
t_assert_eq "[INTROSERV INC-$inc]|Storage array down in DC2|support|open|3" \
    "$(jq -r --argjson i "$inc" '.[] | select(.id == $i) | "\(.tag)|\(.title)|\(.team)|\(.status)|\(.tickets)"' <<<"$list")" \
    "incidents list: tag, title, owning team, status, tickets"
t_assert_eq "$inc $inc $inc" "$(for t in "$tu" "$tr" "$te"; do sb cli ticket show "$t" --json | jq -r '.incident.id'; done | xargs)" \
    "ticket show --json names the incident on each ticket"
t_assert_eq "$inc|[INTROSERV INC-$inc]|Storage array down in DC2|open|null" \
    "$(sb cli ticket show "$tr" --json | jq -r '.incident | "\(.id)|\(.tag)|\(.title)|\(.status)|\(.eta)"')" \
    "with its tag, title, status and (none yet) estimate"
t_assert_match "INC-$inc +open +support +3 +3 " "$(sb cli incidents list)" "the text listing"
t_assert_eq 1 "$(sb mail "$cu" | wc -l)" "joining tells the customer nothing by itself"
t_end

t_case "one agent mail to the incident's tag reaches each customer once, in their language and their own thread"
tell_incident "$inc" "Update" >/dev/null <<<"The storage controller is being replaced; we expect the sites back within the hour."
for c in "$cu" "$cr" "$ce"; do wait_mail "$c" 2 20 >/dev/null; done
declare -A want=([$cu]="пов'язаний з інцидентом" [$cr]="связан с инцидентом" [$ce]="affected by an incident")
declare -A tick=([$cu]=$tu [$cr]=$tr [$ce]=$te) orig=([$cu]=$mu [$cr]=$mr [$ce]=$me)
for c in "$cu" "$cr" "$ce"; do
    f=$(newest_for "$c")
    text=$(mail_text "$f")
    t_assert_match "${want[$c]}" "$text" "$c: in the customer's language"
    t_assert_match 'storage controller is being replaced' "$text" "$c: with the agent's words"
    t_assert_match "\[INTROSERV #${tick[$c]}\]" "$(hdr "$f" Subject)" "$c: in their own ticket's thread (subject)"
    t_assert_match "<${orig[$c]}>" "$(hdr "$f" In-Reply-To)" "$c: answering their own mail"
    t_assert_match 'support@introserv\.com' "$(hdr "$f" From)" "$c: from support@"
    t_assert_eq 0 "$(grep -ci "$agent" "$f")" "$c: the agent's address is nowhere in it"
    t_assert_eq 2 "$(sb mail "$c" | wc -l)" "$c: exactly one mail besides the acknowledgement"
done
t_assert_eq "1 1 1" "$(for t in "$tu" "$tr" "$te"; do sb_sql "select count(*) from messages where ticket_id = $t and direction = 'out' and kind = 'agent' and by_agent = '$agent'"; done | xargs)" \
    "each ticket records the answer, by the agent"
t_assert_eq "t t t" "$(for t in "$tu" "$tr" "$te"; do sb_sql "select first_response_at is not null from tickets where id = $t"; done | xargs)" \
    "it is each customer's first response"
t_end

t_case "#eta in a mail to the incident: every customer is told the estimate on their clock, each ticket promises it"
eta="$(TZ=Europe/Kyiv date -d '+2 days' +%F) 15:00"
eta_at=$(TZ=Europe/Kyiv date -d "$eta" +%s)
tell_incident "$inc" "Estimate" >/dev/null <<EOF2
#eta $eta
The replacement controller is on its way to DC2.
EOF2
for c in "$cu" "$cr" "$ce"; do wait_mail "$c" 3 20 >/dev/null; done
now=$(date +%s)
declare -A eta_words=([$cu]="Ми очікуємо, що інцидент буде усунено до $(customer_time uk "$eta_at" "$now") \\(за київським часом\\)"
    [$cr]="Мы ожидаем, что инцидент будет устранён к $(customer_time ru "$eta_at" "$now") \\(по киевскому времени\\)"
    [$ce]="We expect the incident to be resolved by $(customer_time en "$eta_at" "$now") \\(Kyiv time\\)")
for c in "$cu" "$cr" "$ce"; do
    text=$(mail_text "$(newest_for "$c")")
    t_assert_match "${eta_words[$c]}" "$text" "$c: the estimate in their language and on their clock"
    t_assert_match 'replacement controller is on its way' "$text" "$c: under the agent's words"
done
t_assert_eq "$eta_at $eta_at $eta_at" \
    "$(for t in "$tu" "$tr" "$te"; do sb_sql "select extract(epoch from eta)::bigint from tickets where id = $t"; done | xargs)" \
    "it is each ticket's estimate"
t_assert_eq "1 1 1" "$(for t in "$tu" "$tr" "$te"; do sb_sql "select count(*) from promises where ticket_id = $t and kind = 'eta' and told_at is not null and replaced_at is null and due = to_timestamp($eta_at)"; done | xargs)" \
    "and a promise told to each customer"
t_assert_eq "$(TZ=Europe/Kyiv date -d "@$eta_at" +%FT%T%:z)" \
    "$(sb cli incidents list --json | jq -r --argjson i "$inc" '.[] | select(.id == $i) | .eta')" \
    "incidents list --json carries the incident's estimate"
t_assert_match "estimated resolution $eta \\(Europe/Kyiv\\) by $agent" \
    "$(sb_sql "select string_agg(detail, ' | ') from events where ticket_id = $te and type = 'eta'")" "each history says who estimated what"
n0=$(sb mail "$agent" | wc -l)
tell_incident "$inc" "Estimate" >/dev/null <<'EOF2'
#eta 2020-01-01 09:00
Wrong.
EOF2
wait_mail "$agent" $((n0 + 1)) 20 >/dev/null
t_assert_match 'is not in the future' "$(mail_text "$(newest_for "$agent")")" "an estimate already past is refused"
t_assert_eq "3 3 3" "$(for c in "$cu" "$cr" "$ce"; do sb mail "$c" | wc -l; done | xargs)" "and no customer heard of it"
t_end

t_case "a customer whose ticket joins later gets the incident's latest news at once"
read -r tl ml < <(open_ticket "$cl" "Sites unreachable" "All our sites are unreachable this morning, error 502.")
wait_mail "$cl" 1 >/dev/null
agent_mail "$agent" "$tl" >/dev/null <<<"#incident INC-$inc"
wait_mail "$cl" 2 20 >/dev/null
f=$(newest_for "$cl")
t_assert_match 'replacement controller is on its way' "$(mail_text "$f")" "the latest update, as the others read it"
t_assert_match "\[INTROSERV #$tl\]" "$(hdr "$f" Subject)" "in the late customer's own thread"
t_assert_match "We expect the incident to be resolved by $(customer_time en "$eta_at" "$(date +%s)")" "$(mail_text "$f")" \
    "and the estimate the others were told"
t_assert_eq 1 "$(sb_sql "select count(*) from promises where ticket_id = $tl and kind = 'eta' and due = to_timestamp($eta_at) and told_at is not null")" \
    "which becomes the late ticket's promise as well"
t_end

t_case "a mail that resolves the incident resolves every ticket with a final message"
tell_incident "$inc" "Resolved" >/dev/null <<<"#status resolved
The controller was replaced and every volume is back; sites answer normally again."
for c in "$cu" "$cr" "$ce"; do wait_mail "$c" 4 20 >/dev/null; done
wait_mail "$cl" 3 20 >/dev/null
declare -A done_word=([$cu]="усунено" [$cr]="устранён" [$ce]="is resolved" [$cl]="is resolved")
for c in "$cu" "$cr" "$ce" "$cl"; do
    text=$(mail_text "$(newest_for "$c")")
    t_assert_match "${done_word[$c]}" "$text" "$c: told it is resolved, in their language"
    t_assert_match 'every volume is back' "$text" "$c: with the agent's final words"
done
t_assert_eq "resolved resolved resolved resolved" \
    "$(for t in "$tu" "$tr" "$te" "$tl"; do sb_sql "select status from tickets where id = $t"; done | xargs)" "all four tickets resolved"
t_assert_match "incident \\[INTROSERV INC-$inc\\] resolved" "$(sb_sql "select string_agg(detail, ' | ') from events where ticket_id = $tr and type = 'status'")" \
    "the history says why"
t_assert_eq resolved "$(sb cli incidents list --json | jq -r --argjson i "$inc" '.[] | select(.id == $i) | .status')" "the incident is resolved"
t_assert_match '^incidents: [0-9]+ open$' "$(sb cli status | grep '^incidents:')" "status counts the open incidents"
t_end

t_case "refusals: an unknown incident, a resolved one, a ticket already in one; nothing changes, no customer hears"
read -r tx mx < <(open_ticket "x43.$run@example.net" "Other" "Another question about my invoice.")
wait_mail "x43.$run@example.net" 1 >/dev/null
n0=$(sb mail "$agent" | wc -l)
agent_mail "$agent" "$tx" >/dev/null <<<"#incident INC-999999999"
wait_mail "$agent" $((n0 + 1)) 20 >/dev/null
t_assert_match 'there is no incident INC-999999999' "$(mail_text "$(newest_for "$agent")")" "an unknown incident is refused"
agent_mail "$agent" "$tx" >/dev/null <<<"#incident INC-$inc"
wait_mail "$agent" $((n0 + 2)) 20 >/dev/null
t_assert_match "INC-$inc is resolved" "$(mail_text "$(newest_for "$agent")")" "joining a resolved incident is refused"
tell_incident "$inc" "More" >/dev/null <<<"One more word."
wait_mail "$agent" $((n0 + 3)) 20 >/dev/null
t_assert_match 'resolved already' "$(mail_text "$(newest_for "$agent")")" "news for a resolved incident is refused"
tell_incident 999999999 "Nothing" >/dev/null <<<"Words for nobody."
wait_mail "$agent" $((n0 + 4)) 20 >/dev/null
t_assert_match 'no such incident' "$(mail_text "$(newest_for "$agent")")" "news for an unknown incident is refused"
t_assert_eq "" "$(sb_sql "select incident_id from tickets where id = $tx")" "the ticket joined nothing"
t_assert_eq 1 "$(sb mail "x43.$run@example.net" | wc -l)" "its customer heard nothing more"
t_assert_eq 4 "$(sb mail "$ce" | wc -l)" "and the incident's customers neither"
t_end
