#!/bin/sh
# Phrases find exactly the dispatches that hold them: phrases of common
# words ("au bout de"), with elided articles ("l'annexion de la Crimée"),
# and phrases of names, which have no positions of their own (schema 3)
# and are found through their words.  Dispatches written for this test.
. "${top_srcdir:-.}/tests/test-lib.sh"

plan 23

mkdir -p "$T/arch"
cat > "$T/arch/p.jsonl" <<'EOF'
{"id":"p1","date":"2022-03-01T10:00:00Z","headline":"Marathon","body":"Il est allé au bout de ses forces dans la dernière montée.","source":"AFP","lang":"fr"}
{"id":"p2","date":"2022-03-02T10:00:00Z","headline":"Budget","body":"Au bout du compte, rien n'a changé dans le budget.","source":"AFP","lang":"fr"}
{"id":"p3","date":"2022-03-03T10:00:00Z","headline":"Tempête","body":"Un bout de bois est tombé au milieu de la route.","source":"AFP","lang":"fr"}
{"id":"p4","date":"2022-03-04T10:00:00Z","headline":"Attente","body":"Il attend au bout. De plus, la file ne bouge pas.","source":"AFP","lang":"fr"}
{"id":"p5","date":"2022-03-05T10:00:00Z","headline":"Rue","body":"La maison est au bout de la rue.\n\nUne autre est au bout de l'allée.","source":"AFP","lang":"fr"}
{"id":"p6","date":"2022-03-06T10:00:00Z","headline":"Quartier","body":"Le bout de la rue, au loin, mène au bout.","source":"AFP","lang":"fr"}
{"id":"p7","date":"2022-03-07T10:00:00Z","headline":"Libération","body":"Le marchand d'armes Viktor Bout est arrivé au bout de sa peine, a indiqué Moscou.","source":"AFP","lang":"fr"}
{"id":"a1","date":"2022-03-08T10:00:00Z","headline":"Crimée","body":"Kiev dénonce l'annexion de la Crimée par la Russie en 2014.","source":"AFP","lang":"fr"}
{"id":"a2","date":"2022-03-09T10:00:00Z","headline":"Crimée","body":"Huit ans après l’annexion de la Crimée, les sanctions demeurent.","source":"AFP","lang":"fr"}
{"id":"a3","date":"2022-03-10T10:00:00Z","headline":"Crimée","body":"L'annexion par la Russie de la Crimée reste contestée.","source":"AFP","lang":"fr"}
{"id":"a4","date":"2022-03-11T10:00:00Z","headline":"Crimée","body":"Une annexion de la Crimée que l'ONU ne reconnaît pas.","source":"AFP","lang":"fr"}
{"id":"a5","date":"2022-03-12T10:00:00Z","headline":"Crimée","body":"La Crimée et l'annexion de la péninsule voisine.","source":"AFP","lang":"fr"}
{"id":"n1","date":"2022-03-13T10:00:00Z","headline":"Échange","body":"Le juge Paul Mercier a rendu sa décision jeudi à Lyon.","source":"AFP","lang":"fr"}
{"id":"n2","date":"2022-03-14T10:00:00Z","headline":"Portrait","body":"Pour Mercier, selon Paul, son avocat, le procès fut inique.","source":"AFP","lang":"fr"}
{"id":"n3","date":"2022-03-15T10:00:00Z","headline":"Élection","body":"La candidate Marine Le Pen a tenu un meeting à Lille.","source":"AFP","lang":"fr"}
{"id":"n4","date":"2022-03-16T10:00:00Z","headline":"Pêche","body":"Le pêcheur marine le pen de sa barque, dit le guide.","source":"AFP","lang":"fr"}
{"id":"e1","date":"2022-03-17T10:00:00Z","headline":"Trêve","body":"Au bout d'un an, la trêve a tenu malgré tout.","source":"AFP","lang":"fr"}
{"id":"e2","date":"2022-03-18T10:00:00Z","headline":"Pluie","body":"Il a renoncé parce qu’il pleuvait trop fort.","source":"AFP","lang":"fr"}
{"id":"e3","date":"2022-03-19T10:00:00Z","headline":"Allée","body":"Une maison au bout l'allée, sans article.","source":"AFP","lang":"fr"}
EOF
DB="$T/db"
"$INDEX" -q --db "$DB" "$T/arch" || { echo "Bail out! cannot index the test archive"; exit 1; }
S() { run "$SEARCH" --db "$DB" "$@"; }
ids() {
	S --json -n 100 "$@"
	printf '%s\n' "$out" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p' | sort | tr '\n' ' '
}

is "$(ids '"au bout de"')" "e1 p1 p5 p7 " \
	"\"au bout de\": exactly the dispatches that hold it, \"au bout d'un an\" too"
S --count '"au bout de"'
is "$out" "4" "and its count"
S --json -n 100 '"au bout de"'
like "$(printf '%s\n' "$out" | grep '"id":"e1"')" '"snippet":"Au bout d'"'"'un an' \
	"the snippet of \"au bout d'un an\""
# the highlights of e1: "Au", "bout" and the elided "d'" (bytes 0-2, 3-7, 8-10)
like "$(printf '%s\n' "$out" | grep '"id":"e1"')" '"highlights":[[0,2],[3,7],[8,10]]' \
	"highlights \"d'\" for \"de\""
is "$(ids "\"au bout d'un an\"")" "e1 " "the phrase as written still finds it"
is "$(ids '"renoncé parce que"')" "e2 " "\"qu'\" is \"que\" as \"d'\" is \"de\""
is "$(ids '"au bout la"')" "" "\"l'\" (le or la) is no word of its own"
is "$(ids '"au bout"')" "e1 e3 p1 p2 p4 p5 p6 p7 " \
	"\"au bout\": also across a sentence end inside the phrase's words"
is "$(ids '"bout de"')" "e1 p1 p3 p5 p6 p7 " "\"bout de\""
is "$(ids '"de la"')" "a1 a2 a3 a4 a5 p3 p5 p6 " "a phrase of stop words alone"
is "$(ids '"au bout de la rue"')" "p5 " "a longer phrase of common words"

is "$(ids "\"l'annexion de la Crimée\"")" "a1 a2 a4 " \
	"\"l'annexion de la Crimée\": the elided article is not a word"
is "$(ids '"l’annexion de la Crimée"')" "a1 a2 a4 " \
	"with a typographic apostrophe in the query"
is "$(ids '"annexion de la crimee"')" "a1 a2 a4 " "without accents or capitals"
is "$(ids '« annexion de la Crimée »')" "a1 a2 a4 " "in guillemets"

is "$(ids '"Paul Mercier"')" "n1 " \
	"a phrase of names: the names side by side, not apart"
S --count 'Paul Mercier'
is "$out" "2" "the names apart are still found without quotes"
is "$(ids '"Viktor Bout"')" "p7 " "an entity's name in quotes"
is "$(ids '"Marine Le Pen"')" "n3 " "a name with a stop word: the name, not the words"
is "$(ids '"marine le pen"')" "n3 n4 " "the same words in lower case: the words too"
is "$(ids 'phrase:(Bout peine)')" "p7 " "names and words in one sentence"
is "$(ids 'proche:(Paul Mercier)')" "n1 n2 " "names near each other"

S --count '"bout au"'
is "$out" "0" "words in the wrong order are not the phrase"

done_testing
