#!/bin/sh
# --meetings as events: the day a sentence gives (or the dispatch's),
# the place, the kind (meeting, call, video), the reports of one meeting
# grouped, meetings only announced listed apart, meetings recalled
# without their day kept out of the timeline; on dispatches written here.
. "${top_srcdir:-.}/tests/test-lib.sh"

plan 50

A="$T/archive"
mkdir -p "$A"
cat > "$A/m.jsonl" <<'JSONL'
{"id":"m1","date":"2024-03-06T10:00:00+01:00","headline":"Diplomatie","body":"Alpha Durand et Bruno Kessler se sont rencontrés lundi à Lisbonne pour parler du port."}
{"id":"m2","date":"2024-03-05T18:00:00+01:00","headline":"Lisbonne","body":"Le président Alpha Durand a reçu mardi soir Bruno Kessler, au palais."}
{"id":"m3","date":"2024-05-10T12:00:00+02:00","headline":"Téléphone","body":"Alpha Durand s'est entretenu par téléphone avec Bruno Kessler de la crise du port."}
{"id":"m4","date":"2024-06-01T09:00:00+02:00","headline":"Agenda","body":"Alpha Durand et Bruno Kessler doivent se rencontrer le 20 juin à Oslo."}
{"id":"m5","date":"2024-07-01T09:00:00+02:00","headline":"Portrait","body":"Alpha Durand et Bruno Kessler se sont rencontrés à plusieurs reprises."}
{"id":"m6","date":"2024-08-02T09:00:00+02:00","headline":"Écrans","body":"Alpha Durand et Bruno Kessler se sont parlé jeudi en visioconférence."}
{"id":"m7","date":"2024-09-10T09:00:00+02:00","headline":"Refus","body":"Alpha Durand a dit ne pas vouloir rencontrer Bruno Kessler."}
{"id":"m8","date":"2024-10-15T09:00:00+02:00","headline":"Souvenir","body":"Lors de leur rencontre en février 2023 à Rome, Alpha Durand et Bruno Kessler avaient signé un accord."}
{"id":"m9","date":"2024-11-06T20:00:00+01:00","headline":"Berlin","body":"Bruno Kessler est arrivé mardi à Berlin, où l'attendait Alpha Durand. Les deux dirigeants ont eu un entretien mercredi."}
{"id":"n1","date":"2024-04-10T09:00:00+02:00","headline":"Sommet","body":"Un sommet a réuni mardi à Prague de nombreux chefs d'Etat, dont Alpha Durand et Bruno Kessler."}
{"id":"n2","date":"2024-04-12T09:00:00+02:00","headline":"Portrait","body":"Il avait évoqué sa rencontre jeudi avec Alpha Durand ou Bruno Kessler."}
{"id":"n3","date":"2024-04-15T09:00:00+02:00","headline":"Relations","body":"Alpha Durand dit entretenir des relations directes avec Bruno Kessler."}
{"id":"n4","date":"2024-04-18T09:00:00+02:00","headline":"Protocole","body":"Carla Moreau n'est pas venue mercredi serrer la main de Alpha Durand et Bruno Kessler et pour parler de la crise."}
{"id":"n5","date":"2024-04-19T09:00:00+02:00","headline":"Souvenir","body":"Le sommet historique entre Alpha Durand et Bruno Kessler à Vienne, qui a eu lieu en 2019, reste dans les mémoires."}
{"id":"n6","date":"2024-04-24T09:00:00+02:00","headline":"Appel","body":"Le président nordique Bruno Kessler a parlé aux journalistes. Le président Alpha Durand s'est entretenu mardi par téléphone avec son homologue nordique."}
{"id":"n7","date":"2024-04-26T09:00:00+02:00","headline":"Autre appel","body":"Le président nordique Bruno Kessler a parlé aux journalistes. Alpha Durand s'est entretenu jeudi par téléphone avec son homologue austral."}
{"id":"p1","date":"2024-05-20T09:00:00+02:00","headline":"Conseil","body":"Alpha Durand a rencontré lundi à Vienne le conseiller spécial de Bruno Kessler."}
{"id":"p2","date":"2024-05-22T09:00:00+02:00","headline":"Presse","body":"Dans un entretien mercredi au Quotidien, Alpha Durand juge sévèrement Bruno Kessler."}
{"id":"p3","date":"2024-05-24T09:00:00+02:00","headline":"Apaisement","body":"L'annonce de ces pourparlers a été faite vendredi après une conversation téléphonique entre Alpha Durand et Bruno Kessler."}
{"id":"p4","date":"2024-05-27T09:00:00+02:00","headline":"Otan","body":"Alpha Durand s'est félicité lundi du sommet réunissant de nombreux chefs d'Etat, dont Bruno Kessler."}
{"id":"p5","date":"2024-06-18T09:00:00+02:00","headline":"Appel du 18 juin 1940 : Alpha Durand reçu à Londres par Bruno Kessler","body":"Une cérémonie."}
{"id":"q1","date":"2024-06-25T09:00:00+02:00","headline":"Crise","body":"Le Premier ministre Bruno Kessler s'est entretenu avec Alpha Durand de la crise du port."}
{"id":"q3","date":"2024-07-03T09:00:00+02:00","headline":"Livre","body":"Bruno Kessler aurait promis son aide à Alpha Durand, selon un extrait de cet entretien diffusé mardi."}
{"id":"q4","date":"2024-08-20T09:00:00+02:00","headline":"Rentrée","body":"Après un été chargé (rencontre avec la ministre Dora Lind, entretiens téléphoniques avec les présidents nordique Alpha Durand, austral Eric Vidal et avec le chancelier Bruno Kessler), il part au Danemark."}
{"id":"q5","date":"2025-01-17T09:00:00+01:00","headline":"Tournée","body":"Bruno Kessler poursuit sa tournée européenne. Jeudi soir, à Vienne, il a rencontré Alpha Durand pour parler du port."}
{"id":"q2","date":"2024-06-27T09:00:00+02:00","headline":"Agenda","body":"Carla Moreau a eu un entretien téléphonique avec les présidents nordique Alpha Durand, austral Bruno Kessler et Dora Lind."}
JSONL
DB="$T/db"
"$INDEX" -q --db "$DB" "$A" || { echo "Bail out! cannot index"; exit 1; }
S() { run "$SEARCH" --db "$DB" "$@"; }
# the JSON lines of the events, as "day kind place stories planned"
events() {
	printf '%s\n' "$out" | /usr/bin/python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if "kind" in o:
        print(o["day"], o["kind"], o["place"] or "-", o["stories"],
              "planned" if o["planned"] else "held", o["day_from"])'
}

S --meetings --json 'Alpha Durand' 'Bruno Kessler'
is "$rc" 0 "events found: exit 0"
ev=$(events)
like "$ev" "2024-03-04 meeting Lisbonne" "'lundi' in a Wednesday dispatch is the Monday before, at the place named"
like "$ev" "2024-03-04 meeting Lisbonne 2 held" "the next day's report of the same meeting is grouped with it"
unlike "$ev" "2024-03-05" "so there is no second event the next day"
like "$ev" "2024-05-10 call - 1 held dispatch" "a telephone call: its kind, no place, the dispatch's day"
like "$ev" "2024-06-20 meeting Oslo 1 planned" "a meeting to come is announced, on the day the sentence gives"
like "$ev" "2024-08-01 video" "a video call, on the Thursday before the Friday dispatch"
like "$ev" "2023-02 meeting Rome 1 held text" "a meeting recalled with its month and year is on that month"
like "$ev" "2024-11-06 meeting" "'les deux dirigeants' speaks of the actors of the sentence before"
unlike "$ev" "2024-07-01" "'à plusieurs reprises' is no meeting on the dispatch's day"
unlike "$ev" "2024-09" "'ne pas vouloir rencontrer' is no meeting"
unlike "$ev" "2024-04-09" "actors listed after 'dont' are among the many a summit gathers"
unlike "$ev" "2024-04-11" "'A ou B' is one or the other"
unlike "$ev" "2024-04-15" "'entretenir des relations' is no meeting (meetings.yaml: not)"
unlike "$ev" "2024-04-17" "a negation holds for the meeting words after the one it negates"
unlike "$ev" "2024-04-19" "a sentence of another year speaks of then, not of the dispatch's day"
like "$ev" "2024-04-23 call" "'son homologue nordique' is the actor written 'le président nordique' before"
unlike "$ev" "2024-04-25" "'son homologue austral' is someone else"
unlike "$ev" "2024-05-20" "'le conseiller spécial de B' is not B (meetings.yaml: others)"
unlike "$ev" "2024-05-22" "'dans un entretien' is an interview (meetings.yaml: not)"
unlike "$ev" "2024-07-0" "'un extrait de cet entretien' is a broadcast interview quoted (meetings.yaml: not)"
unlike "$ev" "2024-08-2" "someone's 'entretiens' with each of them, one after the other, are not theirs"
like "$ev" "2025-01-16 meeting Vienne" "'il a rencontré' deep in a sentence: 'il' is the actor of the sentence before"
like "$ev" "2024-05-24 call" "a plural noun first, the call after it gives the day"
unlike "$ev" "2024-05-27" "an actor named only after 'dont' is one of the many"
like "$ev" "2024-06-18 meeting Londres" "a year of history in the sentence is not the meeting's"
like "$ev" "2024-06-25 meeting" "'le Premier ministre' does not make a meeting one recalled"
unlike "$ev" "2024-06-27" "actors listed after someone else's 'entretiens avec' are that one's"
n=$(printf '%s\n' "$ev" | grep -c .)
is "$n" 11 "eleven events"
days=$(printf '%s\n' "$ev" | cut -d' ' -f1 | tr '\n' ' ')
is "$days" "2023-02 2024-03-04 2024-04-23 2024-05-10 2024-05-24 2024-06-18 2024-06-20 2024-06-25 2024-08-01 2024-11-06 2025-01-16 " "events are listed by day"
like "$out" '"reports":[{"id":"m2"' "the reports of an event, by date"
rec=$(printf '%s\n' "$out" | grep '"id":"m5"')
like "$rec" '"evidence":"meeting"' "the recalled meeting is still a meeting sentence"
like "$rec" '"day":null' "with no day"
neg=$(printf '%s\n' "$out" | grep '"id":"m7"')
like "$neg" '"evidence":"together"' "the refusal names them together, no more"
first_other=$(printf '%s\n' "$out" | grep -n '"day":null\|"evidence":"together"' | head -1 | cut -d: -f1)
last_event=$(printf '%s\n' "$out" | grep -n '"kind":' | tail -1 | cut -d: -f1)
ok "$([ "$last_event" -lt "$first_other" ]; echo $?)" "events come before the other dispatches"

# the limit keeps the meetings that took place and are most reported
S --meetings --json -n 2 'Alpha Durand' 'Bruno Kessler'
ev=$(events)
n=$(printf '%s\n' "$ev" | grep -c .)
is "$n" 2 "-n 2 lists two events"
like "$ev" "2024-03-04" "the one with two reports"
unlike "$ev" "planned" "never the one only announced before those that took place"

# for people
S --meetings 'Alpha Durand' 'Bruno Kessler'
like "$out" "Meetings and calls" "a section of meetings and calls"
like "$out" "2024-03-04  meeting  Lisbonne  (2 reports)" "each with its day, kind, place and reports"
like "$out" "2024-05-10  call  (1 report, day of the dispatch)" "a day taken from the dispatch says so"
like "$out" "Announced" "meetings only announced apart"
like "$out" "A meeting recalled, without its day" "and those recalled without a day"
like "$out" "11 meetings or calls (1 only announced)" "the summary counts events"

# meetings.yaml is where the words live: without 'calls', a call is a meeting
mkdir -p "$T/conf"
cat > "$T/conf/meetings.yaml" <<'YAML'
words:
  - rencontrer
  - entretenu
YAML
S --config "$T/conf" --meetings --json 'Alpha Durand' 'Bruno Kessler'
ev=$(events)
like "$ev" "2024-05-10 meeting" "the kinds come from meetings.yaml"
unlike "$ev" "video" "no video words, no video call"
cat > "$T/conf/meetings.yaml" <<'YAML'
words: [rencontrer]
planned:
  - deux mots
YAML
S --config "$T/conf" --meetings 'Alpha Durand' 'Bruno Kessler'
is "$rc" 78 "a 'planned' entry of two words is a configuration error"
like "$err" "meetings.yaml:3:5" "at its line and column"
cat > "$T/conf/meetings.yaml" <<'YAML'
words: [rencontrer]
calls: telephone
YAML
S --config "$T/conf" --meetings 'Alpha Durand' 'Bruno Kessler'
is "$rc" 78 "'calls' must be a list"
like "$err" "calls" "and the message says which key"
