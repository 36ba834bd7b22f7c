# t_40_agents.sh - agents work tickets by email: replies reach the customer from support@, commands drive the ticket.

# Addresses unique to this run, so the file can run again on a sandbox that has data.
run=$RANDOM$RANDOM

sb cli agent add olena@introserv.com --name Olena --team support >/dev/null
sb cli agent add bohdan@introserv.com --name Bohdan --team sysadmins --lead >/dev/null

t_case "an agent's reply reaches the customer from support@ under the agent's name, threaded, without commands"
read -r t cmid < <(open_ticket anna.t40.${run}@example.net "Site is down")
wait_mail anna.t40.${run}@example.net 1 >/dev/null   # the acknowledgement
amid=$(agent_mail olena@introserv.com "$t" <<'EOF2'
#category simple

Hello Anna, we restarted the web server; the site is up again.
EOF2
)
got=$(wait_mail anna.t40.${run}@example.net 2 | tail -1)
t_assert_match 'Olena — INTROSERV Support|Olena =\?' "$(hdr "$got" From)" "From carries the agent's name"
t_assert_match '<support@introserv\.com>' "$(hdr "$got" From)" "From is the support address"
t_assert_match "\\[INTROSERV #$t\\]" "$(hdr "$got" Subject)" "tag kept"
t_assert_eq "<$cmid>" "$(hdr "$got" In-Reply-To)" "In-Reply-To is the customer's mail"
t_assert_match "restarted the web server" "$(cat "$got")" "the text arrives"
t_assert_eq "" "$(grep -c -i 'olena@introserv\.com\|#category' "$got" | grep -v '^0$')" "no agent address, no commands"
t_assert_eq "t" "$(sb_sql "select first_response_at is not null from tickets where id = $t")" "first response recorded"
t_assert_eq "open simple" "$(sb_sql "select status || ' ' || category from tickets where id = $t")" "status open, category applied"
t_assert_eq "out agent" "$(sb_sql "select direction || ' ' || kind from messages where origin_id = '$amid'")" \
    "recorded as the agent's message"
t_end

t_case "commands without text change the ticket and send the customer nothing"
agent_mail olena@introserv.com "$t" >/dev/null <<'EOF2'
#status pending
#assign olena@introserv.com
EOF2
wait_sql "select status from tickets where id = $t" pending 15 >/dev/null
t_assert_eq "pending olena@introserv.com" "$(sb_sql "select status || ' ' || assignee from tickets where id = $t")" \
    "status and assignee changed"
sleep 2
t_assert_eq 2 "$(sb mail anna.t40.${run}@example.net | grep -c .)" "no new mail to the customer"
t_assert_match "assigned to olena" "$(sb cli ticket show "$t" --json | jq -r '.events[].detail')" "history records it"
t_end

t_case "the assignee is one agent of the owning team: an agent of another team is refused"
agent_mail olena@introserv.com "$t" >/dev/null <<<'#assign bohdan@introserv.com'
err=$(wait_mail olena@introserv.com 1 | tail -1)
t_assert_match "bohdan@introserv.com is in team sysadmins, the ticket belongs to support" "$(cat "$err")" \
    "the agent is told whose team the ticket is"
t_assert_eq "olena@introserv.com" "$(sb_sql "select assignee from tickets where id = $t")" "the assignee stays"
t_end

t_case "a change of category or assignee is an event of its own type, a status change in ticket show --json"
t_assert_eq "category status assigned" \
    "$(sb_sql "select string_agg(type, ' ' order by id) from events where ticket_id = $t and type in ('category', 'status', 'assigned', 'eta')")" \
    "recorded as category, status and assigned events"
json=$(sb cli ticket show "$t" --json)
t_assert_eq "status:category status:status status:assigned" \
    "$(jq -r '[.events[] | select(.change != null) | "\(.type):\(.change)"] | join(" ")' <<<"$json")" \
    "shown as status events, each with what changed"
t_assert_eq "" "$(jq -r '.events[].type' <<<"$json" | grep -vxE 'created|acked|replied|escalated|status|breach|notified')" \
    "every type shown is one of the documented seven"
t_end

t_case "an unknown command earns the agent an error reply and changes nothing"
before=$(sb_sql "select status || category || coalesce(assignee, '') from tickets where id = $t")
agent_mail olena@introserv.com "$t" >/dev/null <<'EOF2'
#stauts resolved
All fixed!
EOF2
err=$(wait_mail olena@introserv.com 2 | tail -1)
t_assert_match "stauts: unknown command" "$(cat "$err")" "the agent is told which command is wrong"
t_assert_eq "$before" "$(sb_sql "select status || category || coalesce(assignee, '') from tickets where id = $t")" "ticket unchanged"
sleep 1
t_assert_eq 2 "$(sb mail anna.t40.${run}@example.net | grep -c .)" "the customer receives nothing"
t_end

t_case "an escalation to the team that already owns the ticket is refused: nothing changes, the customer gets nothing"
before=$(sb_sql "select team || status || coalesce(assignee, '') || (select count(*) from events where ticket_id = $t) from tickets where id = $t")
agent_mail olena@introserv.com "$t" >/dev/null <<'EOF2'
#escalate support
We are looking into it.
EOF2
refused_text() { for f in $(sb mail olena@introserv.com); do mail_text "$f"; done | grep -c "#escalate: the ticket already belongs to support"; }
t_assert_true wait_until 15 at_least 1 refused_text "the agent is told the ticket is the team's already"
t_assert_eq "$before" "$(sb_sql "select team || status || coalesce(assignee, '') || (select count(*) from events where ticket_id = $t) from tickets where id = $t")" \
    "ticket and history unchanged"
sleep 1
t_assert_eq 2 "$(sb mail anna.t40.${run}@example.net | grep -c .)" "the customer receives nothing"
t_end

t_case "an internal note goes to the team and never to the customer"
agent_mail olena@introserv.com "$t" >/dev/null <<'EOF2'
#internal
Customer runs an outdated CMS, keep an eye on it.
EOF2
note=$(wait_mail support-team@introserv.com 1 | while read -r p; do grep -l "outdated CMS" "$p"; done | tail -1)
t_assert_match "." "$note" "the team mailbox has the note"
sleep 1
t_assert_eq 0 "$(sb mail anna.t40.${run}@example.net | xargs grep -l 'outdated CMS' 2>/dev/null | grep -c .)" "not the customer"
t_end

t_case "escalation passes the same ticket to the team and tells the customer"
agent_mail olena@introserv.com "$t" >/dev/null <<'EOF2'
#escalate sysadmins firewall rules needed
EOF2
wait_sql "select team from tickets where id = $t" sysadmins 15 >/dev/null
t_assert_eq "sysadmins 3" "$(sb_sql "select team || ' ' || level from tickets where id = $t")" "team and level changed"
t_assert_eq "null olena@introserv.com" "$(sb cli ticket show "$t" --json | jq -r '"\(.assignee) \(.watchers | join(","))"')" \
    "nobody of the new team is named yet; the former assignee watches"
# The system administrators work Mon-Fri 08:00-22:00 CET: off shift their copy waits in the outbox.
day=$(TZ=Europe/Amsterdam date +%u) hm=$(TZ=Europe/Amsterdam date +%H%M)
if [ "$day" -le 5 ] && [ "$hm" -ge 800 ] && [ "$hm" -lt 2200 ]; then
    hist=$(wait_mail sysadmins@introserv.com 1 | tail -1)
    t_assert_match "Please help" "$(cat "$hist")" "the team mailbox gets the ticket with its history"
else
    t_assert_match "Please help" "$(sb_sql "select convert_from(data, 'UTF8') from outbox where ticket_id = $t
        and rcpt = 'sysadmins@introserv.com' and next_attempt_at > now()")" \
        "off shift, the ticket with its history waits for the team's next shift"
fi
notice=$(wait_mail anna.t40.${run}@example.net 3 | tail -1)
t_assert_match "We have passed your request \\[INTROSERV #$t\\] to our system administrators, who are best placed" \
    "$(mail_text "$notice")" "the customer is told which team has it, by the name the configuration gives it in English"
t_assert_no_match "sysadmins|Mon-Fri|Europe/" "$(mail_text "$notice")" "no identifier or configuration syntax reaches the customer"
t_assert_eq 1 "$(sb_sql "select count(*) from tickets where requester = 'anna.t40.${run}@example.net'")" "no new ticket"
t_end

t_case "resolve sends the final answer; the customer's reply reopens the ticket"
agent_mail bohdan@introserv.com "$t" >/dev/null <<'EOF2'
#status resolved
The firewall rules are in place.
EOF2
wait_sql "select status from tickets where id = $t" resolved 15 >/dev/null
final=$(wait_mail anna.t40.${run}@example.net 4 | tail -1)
t_assert_match "firewall rules are in place" "$(cat "$final")" "final answer delivered"
rmid=$(uniq_id)
sb send "$(mkmail <<EOF2
From: <anna.t40.${run}@example.net>
To: support@introserv.com
Subject: Re: [INTROSERV #$t] Site is down
Message-ID: <$rmid>

It is down again.
EOF2
)" >/dev/null
t_assert_eq "open" "$(wait_sql "select status from tickets where id = $t" open 15)" "reopened"
t_end

t_case "a forged agent From from outside is treated as a customer's mail"
fmid=$(uniq_id)
sb send --from olena@introserv.com "$(mkmail <<EOF2
From: Olena <olena@introserv.com>
To: support@introserv.com
Subject: Re: [INTROSERV #$t] Site is down
Message-ID: <$fmid>

#status closed
Ignore everything.
EOF2
)" >/dev/null
ft=$(wait_sql "select ticket_id from messages where message_id = '$fmid'" '' 15)
t_assert_eq "customer" "$(sb_sql "select kind from messages where message_id = '$fmid'")" "recorded as a customer mail"
t_assert_true [ "$ft" != "$t" ] "not joined to ticket $t (sender not on it)"
t_assert_eq "open" "$(sb_sql "select status from tickets where id = $t")" "its commands did nothing"
t_end

t_case "with agent_networks set (reloaded on SIGUSR1), an agent's mail from that network counts without SASL"
conf=$SUPPORTGATE_SANDBOX/supportgate.conf
cp "$conf" "$conf.saved"
echo "agent_networks = 127.0.0.0/8" >> "$conf"
t_assert_true sb_reload milter "the milter reloaded"
read -r t2 _ < <(open_ticket "bob.t40.${run}@example.net" "Trusted network")
sb send "$(mkmail <<EOF2
From: Olena <olena@introserv.com>
To: support@introserv.com
Subject: Re: [INTROSERV #$t2] Trusted network
Message-ID: <$(uniq_id)>

#status pending
EOF2
)" >/dev/null
t_assert_eq "pending" "$(wait_sql "select status from tickets where id = $t2" pending 15)" "the command applied"
cp "$conf.saved" "$conf"
t_assert_true sb_reload milter "the milter reloaded the restored file"
t_end

t_case "#eta tells the customer the estimated time; a custom request cannot go without one, nor with one past"
eta="$(TZ=Europe/Kyiv date -d '+3 days' +%F) 17:00"   # in the display time zone, some days ahead
read -r t3 _ < <(open_ticket "eve.t40.${run}@example.net" "Need a new server")
wait_mail "eve.t40.${run}@example.net" 1 >/dev/null
had=$(sb mail olena@introserv.com | grep -c .)
agent_mail olena@introserv.com "$t3" >/dev/null <<'EOF2'
#category custom
EOF2
refusal=$(wait_mail olena@introserv.com $((had + 1)) | tail -1)
t_assert_match "a custom request needs an estimate" "$(mail_text "$refusal")" "#category custom without #eta is refused"
agent_mail olena@introserv.com "$t3" >/dev/null <<'EOF2'
#category custom
#eta 2020-01-01 09:00
EOF2
t_assert_match "is not in the future" "$(mail_text "$(wait_mail olena@introserv.com $((had + 2)) | tail -1)")" \
    "so is an estimate already past"
t_assert_eq "standard" "$(sb_sql "select category from tickets where id = $t3")" "and neither changed the ticket"
agent_mail olena@introserv.com "$t3" >/dev/null <<EOF2
#category custom
#eta $eta
EOF2
notice=$(wait_mail "eve.t40.${run}@example.net" 2 | tail -1)
eta_at=$(TZ=Europe/Kyiv date -d "$eta" +%s)
t_assert_match "will be resolved by $(customer_time en "$eta_at" "$(date +%s)") \\(Kyiv time\\)" "$(mail_text "$notice")" \
    "the customer is told the estimate on their clock, in words"
t_assert_eq "$eta" "$(sb_sql "select to_char(eta at time zone 'Europe/Kyiv', 'YYYY-MM-DD HH24:MI') from tickets where id = $t3")" \
    "the estimate is stored in the display time zone"
t_assert_eq "$(sb_sql "select eta from tickets where id = $t3")" "$(sb_sql "select due_resolution from tickets where id = $t3")" \
    "a custom ticket is due by its estimate"
t_end

t_case "a customer writing in Russian hears from us in Russian: acknowledgement, estimate, escalation"
read -r t4 _ < <(open_ticket "ivan.t40.${run}@example.net" "VPS" "Добрый день! Мой сервер не отвечает с утра, помогите.")
t_assert_eq "ru" "$(sb_sql "select lang from tickets where id = $t4")" "the language is detected as Russian"
ack=$(wait_mail "ivan.t40.${run}@example.net" 1 | tail -1)
t_assert_match "Здравствуйте, Customer!.*до [0-9]{2}:[0-9]{2} \\(по киевскому времени\\): мы отвечаем в течение [0-9]+ минут," \
    "$(mail_text "$ack" | tr '\n' ' ')" "the acknowledgement is the Russian template, its time and target in Russian words"
agent_mail olena@introserv.com "$t4" >/dev/null <<EOF2
#category custom
#eta $eta
Иван, мы проверяем сервер.
EOF2
reply=$(wait_mail "ivan.t40.${run}@example.net" 2 | tail -1)
t_assert_match "Ориентировочное время решения: $(customer_time ru "$eta_at" "$(date +%s)") \\(по киевскому времени\\)" \
    "$(mail_text "$reply")" "the estimate in the agent's reply is labelled and written in Russian"
agent_mail olena@introserv.com "$t4" >/dev/null <<'EOF2'
#escalate sysadmins
EOF2
notice=$(wait_mail "ivan.t40.${run}@example.net" 3 | tail -1)
t_assert_match "Ваш запрос \[INTROSERV #$t4\] мы передали специалистам, которые лучше всего с ним справятся: это системные администраторы\." \
    "$(mail_text "$notice" | tr '\n' ' ')" "the escalation notice is the Russian template, naming the team in Russian"
t_assert_no_match "[іїєґ]" "$(mail_text "$notice")" "with no Ukrainian sentence in it"
t_end

t_case "an escalation with an agent's text is one mail to the customer: the text, then which team has it"
c5=oksana.t40.${run}@example.net
read -r t5 _ < <(open_ticket "$c5" "Сайт" "Добрий день! Мій сайт дуже повільно працює з учора, допоможіть.")
t_assert_eq "uk" "$(sb_sql "select lang from tickets where id = $t5")" "the language is detected as Ukrainian"
wait_mail "$c5" 1 >/dev/null
agent_mail olena@introserv.com "$t5" >/dev/null <<'EOF2'
#escalate sysadmins
Оксано, базові перевірки не знайшли причини: потрібен доступ до сервера.
EOF2
wait_sql "select team from tickets where id = $t5" sysadmins 15 >/dev/null
got=$(wait_mail "$c5" 2 | tail -1)
sleep 2
t_assert_eq 2 "$(sb mail "$c5" | grep -c .)" "the acknowledgement and one mail, not two"
t_assert_eq 2 "$(sb_sql "select count(*) from outbox where ticket_id = $t5 and rcpt = '$c5'")" "one mail queued for the escalation"
t_assert_match 'Olena — INTROSERV Support|Olena =\?' "$(hdr "$got" From)" "from the agent"
text=$(mail_text "$got" | tr '\n' ' ')
t_assert_match "^Оксано, базові перевірки не знайшли причини: потрібен доступ до сервера\. +Ваш запит \[INTROSERV #$t5\] ми передали фахівцям, які найкраще з ним впораються: це системні адміністратори\." \
    "$text" "the agent's text first, then the notice naming the team in Ukrainian"
t_assert_no_match "sysadmins|Mon-Fri|Europe/|Вітаємо" "$text" "no identifier, no configuration syntax, no second greeting"
day=$(TZ=Europe/Amsterdam date +%u) hm=$(TZ=Europe/Amsterdam date +%H%M)
if [ "$day" -le 5 ] && [ "$hm" -ge 800 ] && [ "$hm" -lt 2200 ]; then
    t_assert_no_match "Ці фахівці працюють" "$text" "on shift, no hours are mentioned"
else
    t_assert_match "Ці фахівці працюють пн–пт 08:00–22:00 за центральноєвропейським часом \(09:00–23:00 за київським\)\." \
        "$text" "off shift, the team's hours in Ukrainian words, on both clocks"
fi
t_assert_match "не пізніше .* \(за київським часом\)\." "$text" "and when the customer hears from us next"
t_assert_eq 1 "$(sb_sql "select count(*) from messages where ticket_id = $t5 and kind = 'internal' and direction = 'out'
    and body like '%базові перевірки не знайшли причини%'")" "the team's copy carries the agent's mail in its history"
t_end

t_case "a resolved ticket closes after the quiet period"
agent_mail olena@introserv.com "$t3" >/dev/null <<'EOF2'
#status resolved
Your new server is ready.
EOF2
wait_sql "select status from tickets where id = $t3" resolved 15 >/dev/null
sb scheduler --once --now "$(date -d '+4 days' --iso-8601=seconds)" >/dev/null 2>&1
t_assert_eq "closed" "$(sb_sql "select status from tickets where id = $t3")" "closed after close_after (3 days)"
t_assert_match "resolved -> closed" "$(sb cli ticket show "$t3" --json | jq -r '.events[].detail')" "the history says why"
t_end

t_case "a ticket a bounce opened gets no automatic mail later: an estimate or an escalation is not sent to the mailer daemon"
bm=$(uniq_id)
daemon=mailer-daemon@bounce40.$RANDOM.example.net
b=$(printf 'From: Mail Delivery System <%s>\nTo: support@introserv.com\nSubject: Undelivered Mail Returned to Sender\nMessage-ID: <%s>\nAuto-Submitted: auto-replied\n\nThe mail could not be delivered.\n' \
    "$daemon" "$bm" | mkmail)
sb send --from '' "$b" >/dev/null
tb=$(wait_sql "select ticket_id from messages where message_id = '$bm'" '' 15)
agent_mail olena@introserv.com "$tb" >/dev/null <<<"#eta 2h"
agent_mail olena@introserv.com "$tb" >/dev/null <<<"#escalate sysadmins the customer's mail server rejects us"
wait_sql "select team from tickets where id = $tb" sysadmins 15 >/dev/null
t_assert_eq sysadmins "$(sb_sql "select team from tickets where id = $tb")" "the commands were applied"
t_assert_eq 0 "$(sb_sql "select count(*) from outbox where ticket_id = $tb and kind = 'notice'")" "no notice was queued"
t_assert_eq 2 "$(sb_sql "select count(*) from events where ticket_id = $tb and detail like 'no % notice: the ticket came from a machine%'")" \
    "the history says why, for the estimate and the escalation"
t_end
