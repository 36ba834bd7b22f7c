# t_46_approvals.sh - management approval by email: #approve asks the approvers; only an authenticated approver decides.
#
# The approvals' clock is driven by passes with --once --now at the request's reminder and due times.

run=$RANDOM$RANDOM
agent=olena46.$run@introserv.com
boss=cfo46.$run@introserv.com
clerk=clerk46.$run@introserv.com
mgr=mgr46.$run@introserv.com
sb cli agent add "$agent" --name "Olena Kovalenko" --team support >/dev/null
sb cli agent add "$clerk" --name "Clerk" --team support >/dev/null
sb cli manager add "$mgr" --name "Duty Manager" >/dev/null
approvals_of() { sb_sql "select count(*) from approvals where ticket_id = $1"; }
status_of() { sb_sql "select status from approvals where id = $1"; }
# answer LOGIN ID TEXT [--public] - an answer to approval ID, with LOGIN's SASL login (or from the public port).
answer() {
    local mid f; mid=$(uniq_id)
    f=$(mkmail <<EOF2
From: Approver <$1>
To: support@introserv.com
Subject: Re: [INTROSERV APR-$2] Approval requested
Message-ID: <$mid>
In-Reply-To: <$(sb_sql "select message_id from approvals where id = $2")>

$3
EOF2
)
    if [ "${4:-}" = --public ]; then sb send "$f" >/dev/null; else sb send --auth "$1" "$f" >/dev/null; fi
}
newest_text() { mail_text "$(newest_for "$1")" 2>/dev/null; }
newest_subject() { hdr "$(newest_for "$1")" Subject 2>/dev/null | tr -s ' '; }

read -r t _ < <(open_ticket "cust46.$run@example.net" "Downtime yesterday" "Our VPS was down for three hours yesterday.")
wait_mail "cust46.$run@example.net" 1 >/dev/null

t_case "#approve without any approver is refused; nothing is asked"
sb_sql "delete from approvers" >/dev/null
n0=$(sb mail "$agent" | wc -l)
agent_mail "$agent" "$t" >/dev/null <<<"#approve downtime credit 20 EUR"
wait_mail "$agent" $((n0 + 1)) 20 >/dev/null
t_assert_match 'there are no approvers' "$(newest_text "$agent")" "the agent is told there is nobody to ask"
t_assert_eq 0 "$(approvals_of "$t")" "no approval recorded"
t_end

t_case "an approval is asked: every approver gets one mail; the customer hears nothing"
t_assert_match "approver $boss added" "$(sb cli approver add "$boss" --name "Kateryna Bondar")" "approver add"
t_assert_eq "$boss" "$(sb cli approver list --json | jq -r '.[0].address')" "approver list --json"
agent_mail "$agent" "$t" >/dev/null <<<$'#approve downtime credit 20 EUR\n#internal'
id=$(wait_sql "select id from approvals where ticket_id = $t" '' 20)
t_assert_true [ -n "$id" ] "the approval is recorded"
wait_mail "$boss" 1 20 >/dev/null
t_assert_eq "[INTROSERV APR-$id] Approval requested: downtime credit 20 EUR (#$t)" "$(newest_subject "$boss")" \
    "the approver's mail carries the approval's tag and the request"
p=$(newest_for "$boss")
t_assert_eq "auto-generated" "$(hdr "$p" Auto-Submitted 2>/dev/null)" "it is Auto-Submitted: auto-generated (RFC 3834)"
t_assert_eq "support@introserv.com" "$(hdr "$p" From 2>/dev/null | grep -o 'support@introserv.com')" "it comes from support@"
text=$(newest_text "$boss")
t_assert_match 'Olena Kovalenko' "$text" "it names the agent who asks"
t_assert_match '"approve" or "deny"' "$text" "it says how to answer"
t_assert_eq 1 "$(sb mail "cust46.$run@example.net" | wc -l)" "the customer got nothing (only the acknowledgement)"
doc=$(sb cli ticket show "$t" --json)
t_assert_eq "downtime credit 20 EUR pending" "$(jq -r '.approvals[0] | "\(.text) \(.status)"' <<<"$doc")" \
    "ticket show --json lists it, pending"
t_assert_match '^approvals: [1-9][0-9]* pending \(0 overdue\)$' "$(sb cli status | grep '^approvals:')" "status counts it"
t_assert_true [ "$(sb cli metrics | awk '$1 == "supportgate_approvals_pending" { print $2 }')" -ge 1 ] "and so do the metrics"
t_end

t_case "a forged approve from the public port, and one from an agent who is no approver, change nothing"
nb=$(sb mail "$boss" | wc -l)
answer "$boss" "$id" "approve" --public
wait_mail "$boss" $((nb + 1)) 20 >/dev/null
t_assert_match 'without a login' "$(newest_text "$boss")" "the unauthenticated answer gets a refusal"
t_assert_eq pending "$(status_of "$id")" "and decides nothing"
nc=$(sb mail "$clerk" | wc -l)
answer "$clerk" "$id" "approve"
wait_mail "$clerk" $((nc + 1)) 20 >/dev/null
t_assert_match "$clerk is not an approver" "$(newest_text "$clerk")" "an agent who is no approver is refused"
t_assert_eq pending "$(status_of "$id")" "still pending"
t_assert_eq 2 "$(sb_sql "select count(*) from events where ticket_id = $t and type = 'approval' and detail ~ 'decided nothing'")" \
    "both attempts are in the ticket's history"
t_end

t_case "the approver approves: the decision is recorded, the agent told, the customer not"
na=$(sb mail "$agent" | wc -l)
answer "$boss" "$id" $'Approve: the outage was ours.\n\nOn Monday Support wrote:\n> Olena asks for your approval'
wait_mail "$agent" $((na + 1)) 20 >/dev/null
t_assert_eq approved "$(status_of "$id")" "approved"
t_assert_eq "$boss|the outage was ours." "$(sb_sql "select decided_by || '|' || reason from approvals where id = $id")" \
    "by the approver, with the reason from the answer's own words"
t_assert_eq "[INTROSERV #$t] Approved: downtime credit 20 EUR" "$(newest_subject "$agent")" "the agent is told"
t_assert_match 'The customer has not been told' "$(newest_text "$agent")" "and reminded that the customer is not"
t_assert_eq 1 "$(sb mail "cust46.$run@example.net" | wc -l)" "the customer got nothing"
doc=$(sb cli ticket show "$t" --json)
t_assert_eq "approved $boss true" "$(jq -r '.approvals[0] | "\(.status) \(.decided_by) \(.decided_at != null)"' <<<"$doc")" \
    "ticket show --json has the decision"
nb=$(sb mail "$boss" | wc -l)
answer "$boss" "$id" "deny"
wait_mail "$boss" $((nb + 1)) 20 >/dev/null
t_assert_match 'decided already: approved' "$(newest_text "$boss")" "a second answer is refused"
t_assert_eq approved "$(status_of "$id")" "the first decision stands"
t_end

t_case "an approval nobody answers: one reminder, then a breach the agent and the managers hear of"
read -r t2 _ < <(open_ticket "cust46b.$run@example.net" "Refund" "I want a refund for the last three months.")
agent_mail "$agent" "$t2" >/dev/null <<<$'#approve refund of 3 months\n#internal'
id2=$(wait_sql "select id from approvals where ticket_id = $t2" '' 20)
due=$(sb_sql "select floor(extract(epoch from due))::bigint from approvals where id = $id2")
reminders() { sb_sql "select count(*) from outbox where rcpt = '$boss' and convert_from(data, 'UTF8') ~ 'Subject: Reminder: \\[INTROSERV APR-$id2\\]'"; }
pass_at $((due - 3600 - 60))
t_assert_eq 0 "$(reminders)" "no reminder before approval_remind"
pass_at $((due - 3600 + 60))
pass_at $((due - 3600 + 120))
t_assert_eq 1 "$(reminders)" "one reminder from two passes"
t_assert_eq 0 "$(sb_sql "select count(*) from breaches where ticket_id = $t2 and sla = 'approval'")" "no breach of the approval yet"
pass_at $((due + 60))
pass_at $((due + 120))
t_assert_eq 1 "$(sb_sql "select count(*) from breaches where ticket_id = $t2 and sla = 'approval'")" "one breach of sla approval"
t_assert_eq 1 "$(sb_sql "select count(*) from outbox where ticket_id = $t2 and rcpt = '$agent'
    and convert_from(data, 'UTF8') ~ 'Approval overdue: \\[INTROSERV APR-$id2\\]'")" "the agent is told it is overdue"
t_assert_true [ "$(sb_sql "select count(*) from outbox where ticket_id = $t2 and rcpt = '$mgr'
    and convert_from(data, 'UTF8') ~ 'approval'")" -ge 1 ] "the managers get the breach notice"
t_assert_eq 1 "$(sb cli ticket show "$t2" --json | jq '[.breaches[] | select(.sla == "approval")] | length')" \
    "ticket show lists the breach"
answer "$boss" "$id2" "deny - not within the policy"
wait_sql "select status from approvals where id = $id2" denied 20 >/dev/null
t_assert_eq denied "$(status_of "$id2")" "a late answer still decides"
t_end

t_case "config check refuses an approval_remind not shorter than approval_due, naming file and line"
t_assert_match ':[0-9]+: approval_remind: not shorter than approval_due' \
    "$(config_check_of "$SUPPORTGATE_SANDBOX/supportgate.conf" "approval_due = 1h" "approval_remind = 2h")" "the pair is refused"
t_end

sb_sql "update tickets set status = 'closed' where id in ($t, $t2)" >/dev/null
