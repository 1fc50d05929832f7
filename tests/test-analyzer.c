/* test-analyzer.c: the French analyzer, table-driven.
 *
 * Each case analyses one input and renders its tokens compactly:
 *
 *   token   = ["#"] term ["|" alias] ["+" whole] ["@" name] ["/" flags]
 *   between = " " in a sentence, " . " after a sentence break,
 *             " ¶ " after a paragraph break
 *
 *   #        a number (DP_TOK_NUMBER)
 *   |alias   the fold-then-stem term, when it differs from term
 *   +whole   the whole of an elided name ("alem+d'alema")
 *   @name    a name (DP_TOK_NAME): the folded word (lower case, no accents)
 *   ~name    with R_NAMES: the name of a capitalised word that is not
 *            DP_TOK_NAME (sentence starts, titles)
 *   /flags   with R_FLAGS: C capitalised, A all caps, S sentence start,
 *            s stop word, E elided, H hyphen
 *
 * Every case also checks invariants: positions consecutive within a
 * sentence, + DP_SENTENCE_GAP across a sentence break, + DP_PARAGRAPH_GAP
 * across a paragraph break; sentence and paragraph numbers; offsets that
 * point at the bytes of dp_tokens_text whose folded form is the token's
 * word; and the invalid UTF-8 count and first offset. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "utf8.h"
#include "tap.h"

enum { R_NAMES = 1, R_FLAGS = 2 };

typedef struct acase {
	const char *in;
	size_t len;
	int mode;
	const char *want;
	int render;
	int invalid;          /* expected invalid sequences */
	long first_invalid;   /* expected offset of the first, or -1 */
} acase;

#define X(in, mode, want, r) {in, sizeof(in) - 1, mode, want, r, 0, -1}
#define I(in, want) X(in, DP_ANALYZE_INDEX, want, 0)
#define IN(in, want) X(in, DP_ANALYZE_INDEX, want, R_NAMES)
#define IF(in, want) X(in, DP_ANALYZE_INDEX, want, R_FLAGS)
#define INF(in, want) X(in, DP_ANALYZE_INDEX, want, R_NAMES | R_FLAGS)
#define Q(in, want) X(in, DP_ANALYZE_QUERY, want, 0)
#define QF(in, want) X(in, DP_ANALYZE_QUERY, want, R_FLAGS)
#define BAD(in, want, n, first) \
	{in, sizeof(in) - 1, DP_ANALYZE_INDEX, want, 0, n, first}

/* 70 and 65 letters: too long to be a word; 64 is the longest kept. */
#define W64 "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl"
#define W65 W64 "m"
#define W70 W64 "mnopqr"

static const acase cases[] = {
	/* ---- elision: split off, no position, same term as the bare word */
	I("Ukraine", "ukrain"),
	I("l’Ukraine", "ukrain@ukraine"),
	I("l'Ukraine", "ukrain@ukraine"),
	I("l\xCA\xBCUkraine", "ukrain@ukraine"),                 /* U+02BC */
	I("l\xE2\x80\x98Ukraine", "ukrain@ukraine"),             /* U+2018 */
	I("la guerre en Ukraine", "la guerr en ukrain@ukraine"),
	I("contre l’Ukraine", "contr ukrain@ukraine"),
	I("contre l'Ukraine", "contr ukrain@ukraine"),
	I("contre l\xE2\x80\x98Ukraine", "contr ukrain@ukraine"),
	IF("l’annexion de l’Ukraine", "annexion/SE de/s ukrain@ukraine/CE"),
	IF("qu’il", "il/SsE"),
	IF("Qu’il pleuve", "il/SsE pleuv"),
	IF("QU’IL PLEUT", "il/CASsE pleut@pleut/CA"),
	IF("jusqu’à Paris", "a/SsE paris@paris/C"),
	IF("jusqu'au bout", "au/SsE bout"),
	I("aujourd'hui", "aujourd'hui"),
	I("aujourd’hui", "aujourd'hui"),
	I("Aujourd’hui", "aujourd'hui"),
	I("presqu'île", "presqu'il"),
	I("prud’hommes", "prud'homm"),
	/* the elision list, lower case and capitalised (sentence start) */
	IF("l'avion", "avion/SE"),
	IF("L'avion", "avion/SE"),
	IF("d'arbres", "arbre/SE"),
	IF("D'arbres", "arbre/SE"),
	IF("j'ai", "ai/SsE"),
	IF("J'ai", "ai/SsE"),
	IF("m'a", "a/SsE"),
	IF("M'a", "a/SsE"),
	IF("n'a", "a/SsE"),
	IF("N'a", "a/SsE"),
	IF("s'est", "est/SsE"),
	IF("S'est", "est/SsE"),
	IF("t'as", "as/SsE"),
	IF("T'as", "as/SsE"),
	IF("c'est", "est/SsE"),
	IF("C'est", "est/SsE"),
	IF("qu'on", "on/SsE"),
	IF("Qu'on", "on/SsE"),
	IF("jusqu'ici", "ici/SE"),
	IF("Jusqu'ici", "ici/SE"),
	IF("lorsqu'il", "il/SsE"),
	IF("Lorsqu'il", "il/SsE"),
	IF("puisqu'elle", "elle/SsE"),
	IF("Puisqu'elle", "elle/SsE"),
	IF("quoiqu'on", "on/SsE"),
	IF("Quoiqu'on", "on/SsE"),
	I("Il dit qu’il a vu l’avion d’Air France",
	  "il dit il a vu avion air@air franc@france"),
	/* an article before a quote: dropped too */
	IF("l’« opération » russe", "oper/SE russ"),
	IF("contre l'\"ennemi\"", "contr/S ennem/SE"),
	IF("d’ « experts »", "expert/SE"),
	IF("l' Ukraine", "ukrain@ukraine/CE"),
	IF("de l’\nUkraine", "de/Ss ukrain@ukraine/CE"),
	I("l’", ""),
	I("jusqu’", ""),
	I("le mot ‘Ukraine’", "le mot ukrain@ukraine"),
	/* names with an apostrophe stay findable whole */
	I("selon D'Alema", "selon alem+d'alema@d'alema"),
	I("selon D’Alema", "selon alem+d'alema@d'alema"),
	IN("D'Alema a dit", "alem+d'alema@d'alema a dit"),
	I("selon O'Brien", "selon o'brien@o'brien"),
	I("selon O’Brien", "selon o'brien@o'brien"),
	I("chez L’Oréal", "chez oreal+l'oreal@l'oreal"),
	/* sentence-initial L' before a name: the name is the bare word, and
	 * a name, as the capital is the word's own */
	IN("L’Ukraine a dit", "ukrain+l'ukraine@ukraine a dit"),
	IN("L’État", "etat+l'etat@etat"),
	IN("L’avion a dit", "avion a dit"),

	/* ---- case and accents: a query without accents meets the text */
	I("Etats-Unis", "etat unis@unis"),
	I("États-Unis", "etat unis@unis"),
	I("ETATS-UNIS", "etat unis@unis"),
	I("aux États-Unis", "aux etat@etats unis@unis"),
	I("aux Etats-Unis", "aux etat@etats unis@unis"),
	I("Élysée", "elys|elyse"),
	I("Elysee", "elyse"),
	I("ÉLYSÉE", "elys|elyse"),
	I("à l’Élysée", "a elys|elyse@elysee"),
	Q("Elysee", "elyse@elysee"),
	Q("elysee", "elyse"),
	Q("Élysée", "elys|elyse@elysee"),
	I("réforme", "reform"),
	Q("reforme", "reform"),
	I("libérée", "liber|libere"),
	I("libéré", "liber"),
	I("libérés", "liber"),
	I("libérées", "liber|libere"),
	Q("liberee", "libere"),
	Q("libere", "liber"),
	I("été", "ete"),
	I("Sergueï Lavrov", "serguei lavrov@lavrov"),
	I("a dit Sergueï", "a dit serguei@serguei"),

	/* ---- stemming overrides: Snowball's gaps */
	I("détenus", "detenu"),
	I("détenu", "detenu"),
	I("Détenus", "detenu"),
	I("élus", "elu"),
	I("élu", "elu"),
	Q("detenus", "detenu"),
	Q("elus", "elu"),
	Q("recus", "recu"),
	I("les prisonniers libérés", "le prisonni liber"),

	/* ---- stop words (flagged, kept: the index needs them) */
	IF("le la les", "le/Ss la/s le/s"),
	IF("de des du", "de/Ss de/s du/s"),
	IF("à et est", "a/Ss et/s est/s"),
	IF("il a été", "il/Ss a/s ete"),
	IF("vous étiez", "vous/Ss eti/s"),
	IF("nous étions", "nous/Ss etion/s"),
	IF("vous êtes", "vous/Ss ete/s"),
	QF("le président de la République",
	   "le/s president de/s la/s republ@republique/C"),

	/* ---- names */
	I("a déclaré Bout", "a declar bout@bout"),
	IN("Au bout de la nuit", "au~au bout de la nuit"),
	I("au bout de la nuit", "au bout de la nuit"),
	I("Il a vu Viktor Bout", "il a vu viktor@viktor bout@bout"),
	IN("Viktor Bout", "viktor~viktor bout@bout"),
	Q("Bout", "bout@bout"),
	Q("au bout", "au bout"),
	/* titles are not names */
	IN("a dit M. Macron", "a dit m~m macron@macron"),
	IN("a dit Mme Borne", "a dit mme~mme born@borne"),
	IN("selon Me Dupond", "selon me~me dupond@dupond"),
	IN("selon Mgr Aupetit", "selon mgr~mgr aupet@aupetit"),

	/* ---- sentences */
	I("Il pleut. Il neige.", "il pleut . il neig"),
	I("Il pleut.Il neige", "il pleut . il neig"),
	I("Quoi ? Rien ! Bon… alors", "quoi . rien . bon alor"),
	I("il est là. et puis", "il est la et puis"),
	I("M. Macron est arrivé", "m macron@macron est arriv"),
	I("Il a vu M. Dupont. Il", "il a vu m dupont@dupont . il"),
	I("Mme Borne. J.-Y. Le Drian est là.",
	  "mme born@borne . j y@y le@le drian@drian est la"),
	I("etc. Et puis", "etc . et puis"),
	I("etc., et puis", "etc et puis"),
	I("en 5.9 secondes. Puis", "en #5 #9 second . puis"),
	I("Il a dit : « Non. » Puis il est parti.",
	  "il a dit non . puis il est part"),
	IF("« Nous partons », a-t-il dit",
	   "nous/CSs parton a/s t/sH il/sH dit"),
	IF("«\xE2\x80\xAFNous partons\xE2\x80\xAF», a-t-il dit",
	   "nous/CSs parton a/s t/sH il/sH dit"),
	IF("« Nous »", "nous/CSs"),
	IF("il a dit \"Nous partons\"", "il/Ss a/s dit nous/CSs parton"),
	IF("PARIS (AFP) - Les chefs",
	   "paris/CAS afp@afp/CA le/CSs chef"),
	IF("PARIS, 3 mars (AFP) – Les chefs",
	   "paris/CAS #3 mar afp@afp/CA le/CSs chef"),
	IF("Un. Deux. Trois", "un/CSs . deux/CS . trois/CS"),

	/* ---- paragraphs and line ends */
	I("Un\n\nDeux", "un ¶ deux"),
	I("Un.\n\nDeux.", "un ¶ deux"),
	I("Un\r\n\r\nDeux", "un ¶ deux"),
	I("Un.\r\n\r\nDeux", "un ¶ deux"),
	I("Un\n \t\nDeux", "un ¶ deux"),
	I("Un\r\rDeux", "un ¶ deux"),
	I("Un\xE2\x80\xA9" "Deux", "un ¶ deux"),
	I("Un\nDeux", "un deux@deux"),
	I("Un\r\nDeux", "un deux@deux"),
	I("Un\n\n\n\nDeux\n\nTrois", "un ¶ deux ¶ trois"),
	I("\n\nUn\n\n", "un"),
	I("a\tb\tc", "a b c"),

	/* ---- numbers */
	IF("1\xC2\xA0" "000", "#1000/S"),
	IF("1\xE2\x80\xAF" "000", "#1000/S"),
	I("1 000", "#1000"),
	I("2,5", "#2,5"),
	I("3.000", "#3000"),
	I("1.000.000", "#1000000"),
	I("1\xE2\x80\xAF" "000\xE2\x80\xAF" "000 euros", "#1000000 euros"),
	I("45\xC2\xA0" "800\xC2\xA0€", "#45800"),
	I("1 000,5", "#1000,5"),
	I("10,5 %", "#10,5"),
	I("en 2020 500 personnes", "en #2020 #500 person"),
	I("1 0000", "#1 #0000"),
	I("12 34", "#12 #34"),
	I("le 14 juillet 1789.", "le #14 juillet #1789"),
	I("2.5", "#2 #5"),
	I("3,5.", "#3,5"),
	I("1,5 000", "#1,5 #000"),
	I("3 000 km", "#3000 km"),
	I("le 1 000e jour", "le #1 000e jour"),
	I("12.000km", "#12 000km"),

	/* ---- letters and digits, all caps, hyphens */
	IF("G20 A380", "g20/CS a380@a380/C"),
	IF("COVID-19", "covid/CAS #19/H"),
	I("le Covid-19", "le covid@covid #19"),
	/* a noun in -er is not cut as a verb: "loyer" is not "loi" */
	I("loyer loi foyer foi", "loyer loi foyer foi"),
	/* ... while verbs in -er still are */
	I("annoncer annoncé", "annonc annonc"),
	/* ordinals: one term in digits, and the stem of the word */
	I("10h30 1er XXIe 3e", "10h30 1e|premi 21e 3e|troisiem"),
	I("la 1ère, la 1re, le 2nd, la 2nde", "la 1e|premi la 1e|premi le "
	  "2e|deuxiem la 2e|deuxiem"),
	I("au 20ème ou 20ieme siècle", "au 20e|vingtiem ou 20e|vingtiem siecl"),
	I("sous la Ve République, Louis XIV et François Ier",
	  "sous la 5e|cinquiem republ@republique lou@louis xiv@xiv et "
	  "francois@francois 1e|premi"),
	I("premier premières vingtième", "premi|1e premi|1e vingtiem|20e"),
	/* not ordinals: one-letter words, "3D", zero */
	I("Ce matin, Le Monde, 3D, 2d, 0e", "ce matin le@le mond@monde 3d 2d "
	  "0e"),
	IF("l’OTAN", "otan/CASE"),
	IF("selon l’OTAN", "selon/S otan@otan/CAE"),
	IF("URGENT Séisme", "urgent/CAS seism@seisme/C"),
	IF("porte-parole", "port/S parol/H"),
	IF("Porte-parole", "port/CS parol/H"),
	IF("porte–parole", "port/S parol"),
	IF("Jean-Luc Mélenchon", "jean/CS luc@luc/CH melenchon@melenchon/C"),
	IF("Saint-Étienne", "saint/CS etien@etienne/CH"),
	IF("ex-président - il", "ex/S president/H il/Ss"),

	/* ---- decomposed input (NFD) gives the terms of NFC */
	I("e\xCC\x81te\xCC\x81", "ete"),
	I("libe\xCC\x81re\xCC\x81" "e", "liber|libere"),
	I("E\xCC\x81tats-Unis", "etat unis@unis"),
	I("a\xCC\x80 l'E\xCC\x81lyse\xCC\x81" "e", "a elys|elyse@elysee"),
	I("de\xCC\x81tenus", "detenu"),

	/* ---- ligatures and other letters */
	I("cœur", "coeur"),
	I("Cœur", "coeur"),
	I("CŒUR", "coeur"),
	I("œuvre", "oeuvr"),
	I("coeur", "coeur"),
	I("Lætitia", "laetiti"),
	I("ex æquo", "ex aequo"),
	I("Diyarbakır", "diyarbakir|diyarbak"),
	I("à İstanbul", "a istanbul@istanbul"),
	I("ılık", "ilik"),
	I("Straße", "strass"),
	I("STRASSE", "strass"),
	I("España", "espan"),
	I("niño", "nino"),
	I("Peña Nieto", "pen nieto@nieto"),

	/* ---- long words, emoji, CJK, degenerate input */
	I(W64, W64),
	I(W65, ""),
	I("a " W70 " b", "a b"),
	I("a " W70 ". B", "a . b"),
	I("", ""),
	I(" \t\r\n ", ""),
	I("... !? ; « » — ()", ""),
	I("😀", ""),
	I("Paris 😀 Lyon", "paris lyon@lyon"),
	I("北京欢迎你", "北京欢迎你"),
	I("東京2020", "東京2020"),
	I("a\0b", "a b"),
	I("\xEF\xBB\xBFLe texte", "le text"),

	/* ---- invalid UTF-8: a separator, counted, words around kept */
	BAD("foo \xFF bar", "foo bar", 1, 4),
	BAD("foo\xFF" "bar", "foo bar", 1, 3),
	BAD("\xC3 baz", "baz", 1, 0),
	BAD("caf\xE9 noir", "caf noir", 1, 3),
	BAD("abc\xE2\x82", "abc", 1, 3),
	BAD("abc\xE2\x82z \xF0\x9F\x98 d", "abc z d", 2, 3),
	BAD("\xF4\x90\x80\x80", "", 4, 0),
	BAD("a\xED\xA0\x80z", "a z", 3, 1),
	BAD("x\xC0\xAFy", "x y", 2, 1),
	BAD("e\xCC\x81t\xFF\xCC\x81", "et", 1, 4),
	I("a \xCC\x81 b", "a b"),
	IF("l'\xCC\x81s", "s/SsE"),
};

/* ---- rendering --------------------------------------------------------- */

typedef struct sbuf {
	char *p;
	size_t n, cap;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 256;
		while (nc < b->n + n + 1)
			nc *= 2;
		char *np = realloc(b->p, nc);
		if (!np)
			abort();
		b->p = np;
		b->cap = nc;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void sb_str(sbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

static void render_token(sbuf *b, const dp_token *t, int r)
{
	if (t->flags & DP_TOK_NUMBER)
		sb_str(b, "#");
	sb_str(b, t->term);
	if (t->alias) {
		sb_str(b, "|");
		sb_str(b, t->alias);
	}
	if (t->whole) {
		sb_str(b, "+");
		sb_str(b, t->whole);
	}
	if (t->name && (t->flags & DP_TOK_NAME)) {
		sb_str(b, "@");
		sb_str(b, t->name);
	} else if (t->name && (r & R_NAMES)) {
		sb_str(b, "~");
		sb_str(b, t->name);
	}
	if (r & R_FLAGS) {
		static const struct {
			unsigned f;
			char c;
		} fl[] = {
			{DP_TOK_CAP, 'C'}, {DP_TOK_ALLCAPS, 'A'},
			{DP_TOK_SENT_START, 'S'}, {DP_TOK_STOP, 's'},
			{DP_TOK_ELIDED, 'E'}, {DP_TOK_HYPHEN, 'H'},
		};
		char s[16];
		size_t k = 0;
		for (size_t i = 0; i < sizeof fl / sizeof fl[0]; i++)
			if (t->flags & fl[i].f)
				s[k++] = fl[i].c;
		if (k) {
			sb_str(b, "/");
			sb_put(b, s, k);
		}
	}
}

/* Renders toks[from, n) (the tokens of one call). */
static char *render(const dp_tokens *toks, size_t from, int r)
{
	sbuf b = {0};
	sb_str(&b, "");
	size_t n = dp_tokens_count(toks);
	for (size_t i = from; i < n; i++) {
		const dp_token *t = dp_tokens_get(toks, i);
		if (i > from) {
			const dp_token *p = dp_tokens_get(toks, i - 1);
			if (t->paragraph != p->paragraph)
				sb_str(&b, " ¶ ");
			else if (t->sentence != p->sentence)
				sb_str(&b, " . ");
			else
				sb_str(&b, " ");
		}
		render_token(&b, t, r);
	}
	return b.p;
}

/* The input as a readable TAP description: controls, invisible spaces,
 * combining marks and invalid bytes escaped, '#' too (a TAP directive). */
static const char *describe(const char *s, size_t len)
{
	static char out[1024];
	size_t o = 0, i = 0;
	while (i < len && o + 16 < sizeof out) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			if (c == '\n')
				o += (size_t)snprintf(out + o, 16, "\\n");
			else if (c == '\r')
				o += (size_t)snprintf(out + o, 16, "\\r");
			else if (c == '\t')
				o += (size_t)snprintf(out + o, 16, "\\t");
			else if (c < 0x20 || c == 0x7F)
				o += (size_t)snprintf(out + o, 16, "\\x%02X", c);
			else if (c == '#' || c == '\\')
				o += (size_t)snprintf(out + o, 16, "\\%c", c);
			else
				out[o++] = (char)c;
			i++;
			continue;
		}
		size_t at = i;
		int32_t cp = dp_utf8_decode(s, len, &i);
		if (cp < 0) {
			o += (size_t)snprintf(out + o, 16, "\\x%02X", c);
			continue;
		}
		if (dp_unicode_class(cp) == DP_CC_MARK
		    || (dp_unicode_class(cp) == DP_CC_SPACE) || cp == 0xFEFF
		    || cp == 0x2018 || cp == 0x02BC) {
			o += (size_t)snprintf(out + o, 16, "\\u%04X",
			                      (unsigned)cp);
			continue;
		}
		memcpy(out + o, s + at, i - at);
		o += i - at;
	}
	if (i < len)
		o += (size_t)snprintf(out + o, 16, "...");
	out[o] = '\0';
	return out;
}

/* ---- invariants -------------------------------------------------------- */

/* Checks positions, numbering and offsets of toks[from, n) analysed from
 * first_pos; returns NULL or what is wrong (static). */
static const char *check_invariants(const dp_tokens *toks, size_t from,
                                    uint32_t first_pos)
{
	static char why[512];
	size_t tl;
	const char *text = dp_tokens_text(toks, &tl);
	size_t n = dp_tokens_count(toks);
	for (size_t i = from; i < n; i++) {
		const dp_token *t = dp_tokens_get(toks, i);
		if (!t->term || !*t->term || !t->word || !*t->word) {
			snprintf(why, sizeof why, "token %zu: empty term", i);
			return why;
		}
		if (t->start >= t->end || t->end > tl) {
			snprintf(why, sizeof why, "token %zu: offsets [%u,%u) "
			         "outside the text (%zu bytes)", i, t->start,
			         t->end, tl);
			return why;
		}
		/* the offsets cover exactly the word */
		char f[DP_MAX_WORD * 3 + 8];
		size_t wl = t->end - t->start;
		if (wl <= DP_MAX_WORD) {
			char low[DP_MAX_WORD * 2 + 8];
			size_t ll = dp_utf8_lower(text + t->start, wl, low);
			dp_utf8_fold(low, ll, f);
			if (strcmp(f, t->word) != 0) {
				snprintf(why, sizeof why, "token %zu: bytes [%u,%u) "
				         "are '%s', word is '%s'", i, t->start,
				         t->end, f, t->word);
				return why;
			}
		}
		if ((t->flags & DP_TOK_NAME) && !t->name) {
			snprintf(why, sizeof why, "token %zu: a name without name",
			         i);
			return why;
		}
		if (i == from) {
			if (t->pos != first_pos) {
				snprintf(why, sizeof why, "first position %u, not %u",
				         t->pos, first_pos);
				return why;
			}
			continue;
		}
		const dp_token *p = dp_tokens_get(toks, i - 1);
		uint32_t want = p->pos + 1;
		uint32_t ws = p->sentence, wp = p->paragraph;
		if (t->paragraph != p->paragraph) {
			want += DP_PARAGRAPH_GAP;
			ws++;
			wp++;
		} else if (t->sentence != p->sentence) {
			want += DP_SENTENCE_GAP;
			ws++;
		}
		if (t->pos != want || t->sentence != ws || t->paragraph != wp) {
			snprintf(why, sizeof why, "token %zu: pos %u sentence %u "
			         "paragraph %u after pos %u sentence %u paragraph "
			         "%u", i, t->pos, t->sentence, t->paragraph, p->pos,
			         p->sentence, p->paragraph);
			return why;
		}
		if (t->start < p->end) {
			snprintf(why, sizeof why, "token %zu: starts at %u, before "
			         "the previous token ends (%u)", i, t->start,
			         p->end);
			return why;
		}
	}
	uint32_t np = dp_tokens_next_pos(toks);
	uint32_t wnp = n > from ? dp_tokens_get(toks, n - 1)->pos + 1
	                        : first_pos;
	if (np != wnp) {
		snprintf(why, sizeof why, "next position %u, not %u", np, wnp);
		return why;
	}
	return NULL;
}

/* ---- runners ------------------------------------------------------------ */

static dp_analyzer *an;
static dp_tokens *toks;

static void analyze_or_die(const char *s, size_t len, uint32_t first_pos,
                           int mode)
{
	dp_error err;
	if (dp_analyze(an, s, len, first_pos, mode, toks, &err) != DP_OK) {
		printf("Bail out! dp_analyze: %s\n", err.msg);
		exit(1);
	}
}

static void run_case(const acase *c)
{
	dp_tokens_reset(toks);
	analyze_or_die(c->in, c->len, 1, c->mode);
	char *got = render(toks, 0, c->render);
	const char *why = check_invariants(toks, 0, 1);
	size_t first = 0;
	size_t nbad = dp_tokens_invalid(toks, &first);
	long want_first = c->first_invalid >= 0 ? c->first_invalid
	                                        : (long)c->len;
	int good = strcmp(got, c->want) == 0 && !why
	           && nbad == (size_t)c->invalid
	           && (nbad == 0 || (long)first == want_first);
	if (!ok(good, "%s: %s", c->mode == DP_ANALYZE_QUERY ? "query" : "index",
	        describe(c->in, c->len))) {
		diag("  got: '%s'", got);
		diag(" want: '%s'", c->want);
		if (why)
			diag(" %s", why);
		if (nbad != (size_t)c->invalid || (nbad && (long)first != want_first))
			diag(" invalid: %zu at %zu, want %d at %ld", nbad, first,
			     c->invalid, want_first);
	}
	free(got);
}

/* Whether the first token of the query text is found by the first token
 * of the indexed text: the query's term is the text's term or alias. */
typedef struct match {
	const char *text;
	const char *query;
} match;

static const match matches[] = {
	{"l’Ukraine", "Ukraine"},
	{"l'Ukraine", "ukraine"},
	{"aujourd’hui", "aujourd'hui"},
	{"États-Unis", "Etats-Unis"},
	{"Élysée", "Elysee"},
	{"Élysée", "elysee"},
	{"réforme", "reforme"},
	{"réformes", "reforme"},
	{"libérée", "liberee"},
	{"libérée", "libere"},
	{"libérée", "libérés"},
	{"libérés", "liberes"},
	{"détenus", "détenu"},
	{"détenus", "detenus"},
	{"détenus", "detenu"},
	{"élus", "elus"},
	{"élus", "élu"},
	/* plurals in -ions meet their singular (Snowball cuts -ions) */
	{"millions", "million"},
	{"annexions", "annexion"},
	{"avions", "avion"},
	{"régions", "région"},
	{"Régions", "regions"},
	{"opinions", "opinion"},
	{"négociations", "négociation"},
	/* adjectives in -ais and -if meet their feminine */
	{"français", "française"},
	{"Français", "françaises"},
	{"francais", "française"},
	{"japonais", "japonaises"},
	{"actif", "active"},
	{"actifs", "actives"},
	{"juif", "juive"},
	{"massif", "massive"},
	{"délais", "délai"},
	{"objectifs", "objective"},
	{"cœur", "coeur"},
	{"Straße", "strasse"},
	{"D'Alema", "D’Alema"},
	{"O’Brien", "O'Brien"},
	{"1\xE2\x80\xAF" "000", "1 000"},
	{"1\xC2\xA0" "000", "1000"},
	{"e\xCC\x81te\xCC\x81", "été"},
	{"Sergueï", "Serguei"},
	{"Diyarbakır", "Diyarbakir"},
	/* nouns and adjectives in -er meet their plural and feminine */
	{"étranger", "étrangers"},
	{"étrangère", "étranger"},
	{"dangers", "danger"},
	{"légère", "léger"},
	{"hivers", "hiver"},
	/* and any plural in -ers its singular, nouns off the list too */
	{"bouchers", "boucher"},
	{"supporters", "supporter"},
	{"Conseillers", "conseiller"},
	{"bergers", "berger"},
	{"leaders", "leader"},
	{"etrangers", "étranger"},
	/* ordinals in digits, Roman numerals and words */
	{"premier", "1er"},
	{"1er", "premier"},
	{"première", "1re"},
	{"première", "premiere"},
	{"XXe", "20ème"},
	{"XXe", "vingtième"},
	{"vingtième", "20e"},
	{"2nde", "deuxième"},
	{"Ier", "1er"},
};

/* Pairs that must stay apart: words in -ers that are no plural. */
static const match apart[] = {
	{"travers", "travée"},
	{"divers", "dive"},
	{"revers", "rêve"},
	{"tiers", "tie"},
};

static int has_term(const dp_token *t, const char *term)
{
	return strcmp(t->term, term) == 0
	       || (t->alias && strcmp(t->alias, term) == 0)
	       || (t->whole && strcmp(t->whole, term) == 0);
}

/* Analyses m's query and text; *meet tells whether the query's first
 * term finds the text's first token.  Returns the query's tokens. */
static dp_tokens *analyse_pair(const match *m, int *meet)
{
	dp_tokens *q = dp_tokens_new();
	dp_error err;
	if (!q || dp_analyze(an, m->query, strlen(m->query), 1,
	                     DP_ANALYZE_QUERY, q, &err) != DP_OK) {
		printf("Bail out! query analysis failed\n");
		exit(1);
	}
	dp_tokens_reset(toks);
	analyze_or_die(m->text, strlen(m->text), 1, DP_ANALYZE_INDEX);
	*meet = dp_tokens_count(q) > 0 && dp_tokens_count(toks) > 0
	        && has_term(dp_tokens_get(toks, 0), dp_tokens_get(q, 0)->term);
	return q;
}

static void run_match(const match *m)
{
	int good;
	dp_tokens *q = analyse_pair(m, &good);
	if (!ok(good, "query '%s' finds '%s'", describe(m->query,
	        strlen(m->query)), m->text) && dp_tokens_count(q)
	    && dp_tokens_count(toks)) {
		const dp_token *t = dp_tokens_get(toks, 0);
		diag("  query term '%s'; text term '%s' alias '%s'",
		     dp_tokens_get(q, 0)->term, t->term,
		     t->alias ? t->alias : "(none)");
	}
	dp_tokens_free(q);
}

static void run_apart(const match *m)
{
	int meet;
	dp_tokens *q = analyse_pair(m, &meet);
	ok(!meet, "query '%s' does not find '%s'", m->query, m->text);
	dp_tokens_free(q);
}

/* Byte offsets of one token of an input. */
typedef struct offset {
	const char *in;
	size_t tok;
	uint32_t start, end;
} offset;

static const offset offsets[] = {
	{"L’annexion", 0, 4, 12},
	{"L'annexion", 0, 2, 10},
	{"de l’Ukraine", 1, 7, 14},
	{"jusqu’à Paris", 0, 8, 10},
	{"1\xE2\x80\xAF" "000 euros", 0, 0, 7},
	{"« Je pars »", 0, 3, 5},
	{"e\xCC\x81te\xCC\x81 libe\xCC\x81re\xCC\x81" "e", 1, 6, 15},
	{"selon D’Alema", 1, 10, 15},
	{"foo \xFF bar", 1, 6, 9},
	{"北京 Paris", 1, 7, 12},
};

static void run_offset(const offset *o)
{
	dp_tokens_reset(toks);
	analyze_or_die(o->in, strlen(o->in), 1, DP_ANALYZE_INDEX);
	const dp_token *t = dp_tokens_get(toks, o->tok);
	if (!ok(t && t->start == o->start && t->end == o->end,
	        "offsets of token %zu in '%s'", o->tok,
	        describe(o->in, strlen(o->in))))
		diag("  got [%u,%u), want [%u,%u)", t ? t->start : 0,
		     t ? t->end : 0, o->start, o->end);
}

/* Positions across calls and with a first position. */
static void run_positions(void)
{
	dp_tokens_reset(toks);
	analyze_or_die("l'Ukraine et l'Europe", 21, 1, DP_ANALYZE_INDEX);
	int good = dp_tokens_count(toks) == 3
	           && dp_tokens_get(toks, 2)->pos == 3
	           && dp_tokens_next_pos(toks) == 4;
	ok(good, "elided articles take no position");

	dp_tokens_reset(toks);
	analyze_or_die("Un. Deux", 8, 1, DP_ANALYZE_INDEX);
	good = dp_tokens_count(toks) == 2
	       && dp_tokens_get(toks, 1)->pos == 2 + DP_SENTENCE_GAP;
	ok(good, "a sentence break adds DP_SENTENCE_GAP");

	dp_tokens_reset(toks);
	analyze_or_die("Un\n\nDeux", 8, 1, DP_ANALYZE_INDEX);
	good = dp_tokens_count(toks) == 2
	       && dp_tokens_get(toks, 1)->pos == 2 + DP_PARAGRAPH_GAP
	       && dp_tokens_get(toks, 1)->paragraph == 1;
	ok(good, "a blank line adds DP_PARAGRAPH_GAP");

	dp_tokens_reset(toks);
	analyze_or_die("Titre du jour", 13, 1, DP_ANALYZE_INDEX);
	uint32_t next = dp_tokens_next_pos(toks) + DP_PARAGRAPH_GAP;
	size_t from = dp_tokens_count(toks);
	analyze_or_die("Le texte. Suite", 15, next, DP_ANALYZE_INDEX);
	const char *why = check_invariants(toks, from, next);
	char *got = render(toks, from, 0);
	good = !why && strcmp(got, "le text . suit") == 0
	       && dp_tokens_count(toks) == from + 3
	       && dp_tokens_get(toks, 0)->pos == 1
	       && dp_tokens_get(toks, from)->pos == next;
	if (!ok(good, "a second call appends from a first position"))
		diag("  %s / %s", got, why ? why : "");
	free(got);

	dp_tokens_reset(toks);
	analyze_or_die("...", 3, 42, DP_ANALYZE_INDEX);
	ok(dp_tokens_count(toks) == 0 && dp_tokens_next_pos(toks) == 42,
	   "no token: the next position is the first position");
}

/* The other entry points. */
static void run_api(void)
{
	const char *sig = dp_analyzer_signature(an);
	ok(sig && strstr(sig, "depeche-fr/") && strstr(sig, "snowball"),
	   "signature names the analysis: %s", sig ? sig : "(null)");

	static const char *const stops[] = {
		"le", "la", "de", "des", "du", "a", "et", "est", "etions",
		"etiez", "etes", "qu", "y",
	};
	int good = 1;
	for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++)
		if (!dp_analyzer_is_stopword(an, stops[i])) {
			diag("  '%s' is not a stop word", stops[i]);
			good = 0;
		}
	ok(good, "stop words (the list is searchable end to end)");
	ok(!dp_analyzer_is_stopword(an, "ete")
	   && !dp_analyzer_is_stopword(an, "bout"),
	   "'ete' and 'bout' are not stop words");

	static const char *const pairs[][2] = {
		{"détenus", "détenu"}, {"élus", "élu"}, {"detenus", "détenu"},
		{"libérée", "libéré"}, {"Libérées", "libérés"},
	};
	good = 1;
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		char a[DP_MAX_WORD * 3 + 1], b[DP_MAX_WORD * 3 + 1];
		dp_analyzer_stem(an, pairs[i][0], strlen(pairs[i][0]), a);
		dp_analyzer_stem(an, pairs[i][1], strlen(pairs[i][1]), b);
		if (strcmp(a, b) != 0) {
			diag("  %s -> %s, %s -> %s", pairs[i][0], a, pairs[i][1],
			     b);
			good = 0;
		}
	}
	ok(good, "dp_analyzer_stem joins the override pairs");

	char out[DP_MAX_WORD * 3 + 1];
	size_t n = dp_analyzer_stem(an, W70, strlen(W70), out);
	ok(n > 0 && n <= DP_MAX_WORD, "dp_analyzer_stem caps long words");

	/* a stray byte in the middle of a long input */
	size_t len = 100000;
	char *big = malloc(len);
	if (!big)
		abort();
	for (size_t i = 0; i < len; i++)
		big[i] = "Le chat dort. "[i % 14];
	big[50001] = (char)0xFF;
	dp_tokens_reset(toks);
	analyze_or_die(big, len, 1, DP_ANALYZE_INDEX);
	size_t first = 0;
	size_t nbad = dp_tokens_invalid(toks, &first);
	const char *why = check_invariants(toks, 0, 1);
	if (!ok(nbad == 1 && first == 50001 && !why
	        && dp_tokens_count(toks) > 21000,
	        "100 kB with one invalid byte"))
		diag("  %zu at %zu, %zu tokens, %s", nbad, first,
		     dp_tokens_count(toks), why ? why : "");
	free(big);
}

int main(void)
{
	size_t nc = sizeof cases / sizeof cases[0];
	size_t nm = sizeof matches / sizeof matches[0];
	size_t no = sizeof offsets / sizeof offsets[0];
	size_t na = sizeof apart / sizeof apart[0];
	plan((int)(nc + nm + na + no + 5 + 6));

	dp_error err;
	if (dp_analyzer_new(&an, &err) != DP_OK) {
		printf("Bail out! %s\n", err.msg);
		return 1;
	}
	toks = dp_tokens_new();
	if (!toks) {
		printf("Bail out! out of memory\n");
		return 1;
	}
	for (size_t i = 0; i < nc; i++)
		run_case(&cases[i]);
	for (size_t i = 0; i < nm; i++)
		run_match(&matches[i]);
	for (size_t i = 0; i < na; i++)
		run_apart(&apart[i]);
	for (size_t i = 0; i < no; i++)
		run_offset(&offsets[i]);
	run_positions();
	run_api();
	dp_tokens_free(toks);
	dp_analyzer_free(an);
	return done_testing();
}
