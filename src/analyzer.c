/* analyzer.c: French text -> tokens and terms.  See analyzer.h. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "arena.h"
#include "utf8.h"
#include "xapian-shim.h"

/* Bump when the terms produced for some input change. */
#define ANALYZER_VERSION 8

/* ---- word lists ---------------------------------------------------------- */

/* French stop words (Snowball's list, accent-folded, with the question
 * words: combien, quel, comment, pourquoi, quand...), dropped from free
 * text at query time only: the index keeps every word so that phrases
 * still match.  "été" is left out on purpose: it is also the season. */
static const char *const stopwords[] = {
	"a", "ai", "aie", "aient", "aies", "ait", "as", "au", "aura", "aurai",
	"auraient", "aurais", "aurait", "auras", "aurez", "auriez", "aurions",
	"aurons", "auront", "aux", "avaient", "avais", "avait", "avec", "avez",
	"aviez", "avions", "avons", "ayant", "ayante", "ayantes", "ayants",
	"ayez", "ayons", "c", "ce", "ces", "combien", "comment", "d", "dans",
	"de", "des", "dont", "du", "elle", "en", "es", "est", "et", "etaient",
	"etais", "etait", "etant", "etante", "etantes", "etants", "etes", "etiez",
	"etions", "eu", "eue", "eues", "eumes", "eurent", "eus", "eusse",
	"eussent", "eusses", "eussiez", "eussions", "eut", "eutes", "eux",
	"fumes", "furent", "fus", "fusse", "fussent", "fusses", "fussiez",
	"fussions", "fut", "futes", "il", "ils", "j", "je", "l", "la", "laquelle",
	"le", "lequel", "les", "lesquelles", "lesquels", "leur", "lui", "m", "ma",
	"mais", "me", "meme", "mes", "moi", "mon", "n", "ne", "nos", "notre",
	"nous", "on", "ont", "ou", "par", "pas", "pour", "pourquoi", "qu",
	"quand", "que", "quel", "quelle", "quelles", "quels", "qui", "quoi", "s",
	"sa", "se", "sera", "serai", "seraient", "serais", "serait", "seras",
	"serez", "seriez", "serions", "serons", "seront", "ses", "soient", "sois",
	"soit", "sommes", "son", "sont", "soyez", "soyons", "suis", "sur", "t",
	"ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre",
	"vous", "y",
};

/* Elided articles and conjunctions split off the following word. */
static const char *const elisions[] = {
	"c", "d", "j", "jusqu", "l", "lorsqu", "m", "n", "puisqu", "qu",
	"quoiqu", "s", "t",
};

/* The word an elided article stands for, where it is only one: "d'un" is
 * "de un", so that the phrase "au bout de" finds "au bout d'un an".  "l'"
 * (le or la) and "s'" (se or si) are left out. */
static const char *const elided_words[][2] = {
	{"c", "ce"}, {"d", "de"}, {"j", "je"}, {"jusqu", "jusque"},
	{"lorsqu", "lorsque"}, {"m", "me"}, {"n", "ne"}, {"puisqu", "puisque"},
	{"qu", "que"}, {"quoiqu", "quoique"}, {"t", "te"},
};

static const char *elided_word(const char *pre)
{
	for (size_t i = 0; i < sizeof elided_words / sizeof *elided_words; i++)
		if (strcmp(elided_words[i][0], pre) == 0)
			return elided_words[i][1];
	return NULL;
}

/* Words in -ers that are no plural of a noun in -er (folded). */
static const char *const invariable_ers[] = {
	"devers", "divers", "envers", "pervers", "revers", "tiers", "travers",
	"univers", "vers",
};

/* Known gaps of Snowball French: words it leaves apart from the form they
 * should meet.  Each word is stemmed as the word on its right.  Mostly
 * plural past participles and nouns in -us, whose final s Snowball keeps
 * ("détenus" would not find "détenu"). */
static const char *const stem_overrides[][2] = {
	{"abattus", "abattu"}, {"absolus", "absolu"}, {"accrus", "accru"},
	{"apparus", "apparu"}, {"aperçus", "aperçu"}, {"ardus", "ardu"},
	{"assidus", "assidu"}, {"attendus", "attendu"}, {"barbus", "barbu"},
	{"battus", "battu"}, {"combattus", "combattu"},
	{"comparus", "comparu"}, {"conçus", "conçu"},
	{"confondus", "confondu"}, {"connus", "connu"},
	{"contenus", "contenu"}, {"continus", "continu"},
	{"courus", "couru"}, {"crus", "cru"}, {"débattus", "débattu"},
	{"déçus", "déçu"}, {"défendus", "défendu"},
	{"dépourvus", "dépourvu"}, {"descendus", "descendu"},
	{"détenus", "détenu"}, {"disparus", "disparu"},
	{"élus", "élu"}, {"encourus", "encouru"}, {"entendus", "entendu"},
	{"étendus", "étendu"}, {"exclus", "exclu"}, {"feuillus", "feuillu"},
	{"fondus", "fondu"}, {"imprévus", "imprévu"},
	{"inconnus", "inconnu"}, {"individus", "individu"},
	{"intervenus", "intervenu"}, {"maintenus", "maintenu"},
	{"méconnus", "méconnu"}, {"menus", "menu"}, {"mordus", "mordu"},
	{"obtenus", "obtenu"}, {"parcourus", "parcouru"},
	{"parus", "paru"}, {"parvenus", "parvenu"}, {"pendus", "pendu"},
	{"perçus", "perçu"}, {"perdus", "perdu"}, {"pointus", "pointu"},
	{"pourvus", "pourvu"}, {"prévenus", "prévenu"},
	{"prévus", "prévu"}, {"reçus", "reçu"}, {"reconnus", "reconnu"},
	{"rendus", "rendu"}, {"répandus", "répandu"},
	{"résidus", "résidu"}, {"résolus", "résolu"},
	{"retenus", "retenu"}, {"revenus", "revenu"},
	{"secourus", "secouru"}, {"soutenus", "soutenu"},
	{"survenus", "survenu"}, {"suspendus", "suspendu"},
	{"tendus", "tendu"}, {"tenus", "tenu"}, {"têtus", "têtu"},
	{"tissus", "tissu"}, {"tordus", "tordu"}, {"vécus", "vécu"},
	{"vendus", "vendu"}, {"venus", "venu"}, {"voulus", "voulu"},
	{"vus", "vu"},
	/* adjectives in -ais, whose ending Snowball cuts as a verb's
	 * ("français" became "franc", apart from "française") */
	{"bordelais", "bordelaise"}, {"camerounais", "camerounaise"},
	{"congolais", "congolaise"}, {"écossais", "écossaise"},
	{"finlandais", "finlandaise"}, {"français", "française"},
	{"gabonais", "gabonaise"}, {"hollandais", "hollandaise"},
	{"irlandais", "irlandaise"}, {"islandais", "islandaise"},
	{"japonais", "japonaise"}, {"libanais", "libanaise"},
	{"lyonnais", "lyonnaise"}, {"malais", "malaise"},
	{"maltais", "maltaise"}, {"marseillais", "marseillaise"},
	{"mauvais", "mauvaise"}, {"nantais", "nantaise"},
	{"néerlandais", "néerlandaise"}, {"népalais", "népalaise"},
	{"ougandais", "ougandaise"}, {"pakistanais", "pakistanaise"},
	{"polonais", "polonaise"}, {"portugais", "portugaise"},
	{"rwandais", "rwandaise"}, {"sénégalais", "sénégalaise"},
	{"soudanais", "soudanaise"}, {"taïwanais", "taïwanaise"},
	{"thaïlandais", "thaïlandaise"}, {"togolais", "togolaise"},
	/* nouns and adjectives in -er, whose ending Snowball cuts as a
	 * verb's in the singular only ("étranger" gave "etrang",
	 * "étrangers" and "étrangère" "etranger"; "loyer" met "loi");
	 * verbs in -er (reporter, supporter, conseiller) are left out */
	{"berger", "bergers"}, {"boulanger", "boulangers"},
	{"bunker", "bunkers"}, {"cancer", "cancers"},
	{"charter", "charters"}, {"cluster", "clusters"},
	{"danger", "dangers"}, {"dealer", "dealers"},
	{"designer", "designers"}, {"étranger", "étrangers"},
	{"foyer", "foyers"}, {"gangster", "gangsters"},
	{"hacker", "hackers"}, {"hiver", "hivers"}, {"laser", "lasers"},
	{"leader", "leaders"}, {"léger", "légers"}, {"loyer", "loyers"},
	{"manager", "managers"}, {"mensonger", "mensongers"},
	{"messager", "messagers"}, {"passager", "passagers"},
	{"poker", "pokers"}, {"revolver", "revolvers"},
	{"rocher", "rochers"}, {"scooter", "scooters"},
	{"thriller", "thrillers"}, {"trader", "traders"},
	{"usager", "usagers"}, {"verger", "vergers"},
	/* "première" and "premier" give one stem, with no second one for
	 * the unaccented spelling: the ordinal "1er" takes that place */
	{"première", "premier"}, {"premières", "premier"},
};

/* Ordinals written as words, and the number each stands for: "1er",
 * "Ier" and "premier", "20e", "XXe" and "vingtième" find each other
 * ("second" is left out: it is also a unit of time). */
static const struct ordinal_word {
	const char *lower;   /* lower case, accents kept: what is stemmed */
	const char *folded;  /* accents folded: what is compared */
	unsigned n;
} ordinal_words[] = {
	{"premier", "premier", 1}, {"première", "premiere", 1},
	{"deuxième", "deuxieme", 2}, {"troisième", "troisieme", 3},
	{"quatrième", "quatrieme", 4}, {"cinquième", "cinquieme", 5},
	{"sixième", "sixieme", 6}, {"septième", "septieme", 7},
	{"huitième", "huitieme", 8}, {"neuvième", "neuvieme", 9},
	{"dixième", "dixieme", 10}, {"onzième", "onzieme", 11},
	{"douzième", "douzieme", 12}, {"treizième", "treizieme", 13},
	{"quatorzième", "quatorzieme", 14}, {"quinzième", "quinzieme", 15},
	{"seizième", "seizieme", 16}, {"vingtième", "vingtieme", 20},
	{"trentième", "trentieme", 30}, {"quarantième", "quarantieme", 40},
	{"cinquantième", "cinquantieme", 50},
	{"soixantième", "soixantieme", 60}, {"centième", "centieme", 100},
	{"millième", "millieme", 1000},
};

/* Words after which a full stop does not end a sentence (compared lower
 * case, accents folded). Single letters (initials) are handled apart.
 * Not "etc": it ends sentences more often than not. */
static const char *const abbreviations[] = {
	"av", "avr", "bd", "cf", "chap", "co", "dec", "dr", "ex",
	"fev", "fevr", "gal", "gen", "inc", "janv", "jr", "juil", "lt", "ltd",
	"me", "mgr", "min", "mlle", "mlles", "mm", "mme", "mmes", "nov",
	"oct", "pr", "prof", "sept", "sgt", "st", "ste", "vol", "vs",
};

/* Titles written before a name ("M. Macron", "Mme Borne", "Me Dupond"):
 * capitalised, but not names themselves. */
static const char *const titles[] = {
	"dr", "m", "me", "mgr", "mlle", "mlles", "mm", "mme", "mmes", "pr",
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int in_sorted(const char *const *list, size_t n, const char *w)
{
	return bsearch(&w, list, n, sizeof *list, cmp_str) != NULL;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- stem cache -----------------------------------------------------------
 * Words repeat (Zipf): most stems come from here instead of Snowball. */

typedef struct stem_entry {
	const char *key;     /* lower-cased word, accents kept */
	const char *term;
	const char *alias;   /* NULL when equal to term */
	uint32_t hash;
} stem_entry;

#define CACHE_MAX_ENTRIES (1u << 18)

typedef struct stem_cache {
	stem_entry *slots;
	size_t cap, count;
	dp_arena mem;
} stem_cache;

static uint32_t hash_bytes(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h ? h : 1;
}

struct dp_analyzer {
	dpx_stemmer *stemmer;
	stem_cache cache;
	char signature[256];
	/* scratch buffers for one word */
	char lower[DP_MAX_WORD * 2 + 8];
	char folded[DP_MAX_WORD * 3 + 8];
	char stem[DP_MAX_WORD * 3 + 8];
	char stem2[DP_MAX_WORD * 3 + 8];
};

struct dp_tokens {
	dp_token *v;
	size_t n, cap;
	dp_arena mem;
	const char *text;    /* text of the last call (input or text_own) */
	size_t text_len;
	char *text_own;
	uint32_t next_pos;
	size_t invalid, first_invalid;
};

static int cache_init(stem_cache *c)
{
	c->cap = 1u << 12;
	c->count = 0;
	c->slots = calloc(c->cap, sizeof *c->slots);
	c->mem.head = NULL;
	return c->slots ? 0 : -1;
}

static void cache_clear(stem_cache *c)
{
	memset(c->slots, 0, c->cap * sizeof *c->slots);
	c->count = 0;
	dp_arena_reset(&c->mem);
}

static int cache_grow(stem_cache *c)
{
	size_t ncap = c->cap * 2;
	stem_entry *ns = calloc(ncap, sizeof *ns);
	if (!ns)
		return -1;
	for (size_t i = 0; i < c->cap; i++) {
		if (!c->slots[i].key)
			continue;
		size_t j = c->slots[i].hash & (ncap - 1);
		while (ns[j].key)
			j = (j + 1) & (ncap - 1);
		ns[j] = c->slots[i];
	}
	free(c->slots);
	c->slots = ns;
	c->cap = ncap;
	return 0;
}

static const stem_entry *cache_find(const stem_cache *c, const char *w,
                                    size_t n, uint32_t h)
{
	size_t j = h & (c->cap - 1);
	while (c->slots[j].key) {
		if (c->slots[j].hash == h && strncmp(c->slots[j].key, w, n) == 0
		    && c->slots[j].key[n] == '\0')
			return &c->slots[j];
		j = (j + 1) & (c->cap - 1);
	}
	return NULL;
}

static const stem_entry *cache_add(stem_cache *c, const char *w, size_t n,
                                   uint32_t h, const char *term,
                                   const char *alias)
{
	if (c->count >= CACHE_MAX_ENTRIES)
		cache_clear(c);
	if ((c->count + 1) * 2 > c->cap && cache_grow(c) < 0)
		return NULL;
	size_t j = h & (c->cap - 1);
	while (c->slots[j].key)
		j = (j + 1) & (c->cap - 1);
	stem_entry e;
	e.hash = h;
	e.key = dp_arena_strndup(&c->mem, w, n);
	e.term = dp_arena_strndup(&c->mem, term, strlen(term));
	e.alias = alias ? dp_arena_strndup(&c->mem, alias, strlen(alias)) : NULL;
	if (!e.key || !e.term || (alias && !e.alias))
		return NULL;
	c->slots[j] = e;
	c->count++;
	return &c->slots[j];
}

/* ---- analyzer ---------------------------------------------------------- */

static uint32_t overrides_hash(void)
{
	uint32_t h = 0;
	for (size_t i = 0; i < NELEM(stem_overrides); i++) {
		h = h * 31 + hash_bytes(stem_overrides[i][0],
		                        strlen(stem_overrides[i][0]));
		h = h * 31 + hash_bytes(stem_overrides[i][1],
		                        strlen(stem_overrides[i][1]));
	}
	for (size_t i = 0; i < NELEM(stopwords); i++)
		h = h * 31 + hash_bytes(stopwords[i], strlen(stopwords[i]));
	for (size_t i = 0; i < NELEM(invariable_ers); i++)
		h = h * 31 + hash_bytes(invariable_ers[i],
		                        strlen(invariable_ers[i]));
	return h;
}

dp_status dp_analyzer_new(dp_analyzer **out, dp_error *err)
{
	*out = NULL;
	dp_analyzer *an = calloc(1, sizeof *an);
	if (!an)
		return dp_error_set(err, DP_ERR_NOMEM, "analyzer: out of memory");
	dp_status st = dpx_stemmer_new("french", &an->stemmer, err);
	if (st != DP_OK) {
		free(an);
		return st;
	}
	if (cache_init(&an->cache) < 0) {
		dpx_stemmer_free(an->stemmer);
		free(an);
		return dp_error_set(err, DP_ERR_NOMEM, "analyzer: out of memory");
	}
	/* The stemmer's behaviour is that of Xapian's major.minor series. */
	const char *v = dpx_version();
	int major = 0, minor = 0;
	sscanf(v, "%d.%d", &major, &minor);
	snprintf(an->signature, sizeof an->signature,
	         "depeche-fr/%d snowball-french(xapian-%d.%d) stem-then-fold "
	         "elision gaps=%d/%d maxword=%d lists=%08x",
	         ANALYZER_VERSION, major, minor, DP_SENTENCE_GAP,
	         DP_PARAGRAPH_GAP, DP_MAX_WORD, (unsigned)overrides_hash());
	*out = an;
	return DP_OK;
}

void dp_analyzer_free(dp_analyzer *an)
{
	if (!an)
		return;
	dpx_stemmer_free(an->stemmer);
	free(an->cache.slots);
	dp_arena_release(&an->cache.mem);
	free(an);
}

const char *dp_analyzer_signature(const dp_analyzer *an)
{
	return an->signature;
}

int dp_analyzer_is_stopword(const dp_analyzer *an, const char *word)
{
	(void)an;
	return in_sorted(stopwords, NELEM(stopwords), word);
}

/* Whether key (lower case) with its accents folded is the word ascii. */
static int folds_to(const char *key, const char *ascii)
{
	size_t i = 0, o = 0, kl = strlen(key);
	while (i < kl) {
		unsigned char c = (unsigned char)key[i];
		if (c < 0x80) {
			if ((unsigned char)ascii[o] != c)
				return 0;
			o++;
			i++;
			continue;
		}
		int32_t cp = dp_utf8_decode(key, kl, &i);
		char f[8];
		size_t fl = dp_unicode_fold(cp, f);
		if (strncmp(ascii + o, f, fl) != 0)
			return 0;
		o += fl;
	}
	return ascii[o] == '\0';
}

/* Whether a lower-cased word in -ers is one of invariable_ers, with or
 * without its accents ("dévers"). */
static int is_invariable_ers(const char *lower, size_t n)
{
	char f[64 * 3 + 1];
	if (n >= sizeof f / 3)
		return 0;
	dp_utf8_fold(lower, n, f);
	for (size_t i = 0; i < NELEM(invariable_ers); i++)
		if (strcmp(invariable_ers[i], f) == 0)
			return 1;
	return 0;
}

/* The override for a lower-cased word, or NULL.  A word typed without
 * accents ("detenus") meets the accented entry ("détenus") too, so that
 * queries find what the text spells with accents.  The table is short and
 * only consulted on a cache miss. */
static const char *override_for(const char *lower, int ascii)
{
	for (size_t i = 0; i < NELEM(stem_overrides); i++)
		if (strcmp(stem_overrides[i][0], lower) == 0)
			return stem_overrides[i][1];
	if (ascii)
		for (size_t i = 0; i < NELEM(stem_overrides); i++)
			if (folds_to(stem_overrides[i][0], lower))
				return stem_overrides[i][1];
	return NULL;
}

/* The number an ordinal word stands for ("deuxièmes", "deuxiemes" -> 2),
 * from its lower-case form, with or without accents; 0 when it is none. */
static unsigned ordinal_of_word(const char *lower)
{
	size_t n = strlen(lower);
	for (size_t i = 0; i < NELEM(ordinal_words); i++)
		for (int f = 0; f < 2; f++) {
			const char *w = f ? ordinal_words[i].folded
			                  : ordinal_words[i].lower;
			size_t k = strlen(w);
			if (!strncmp(lower, w, k)
			    && (n == k || (n == k + 1 && lower[k] == 's')))
				return ordinal_words[i].n;
		}
	return 0;
}

/* Stems a lower-cased word (accents kept): fills term and alias in the
 * cache and returns the entry, or NULL when out of memory. */
static const stem_entry *stem_word(dp_analyzer *an, const char *lower,
                                   size_t n)
{
	uint32_t h = hash_bytes(lower, n);
	const stem_entry *e = cache_find(&an->cache, lower, n, h);
	if (e)
		return e;

	char key[sizeof an->lower], alt[sizeof an->lower + 2];
	memcpy(key, lower, n);
	key[n] = '\0';

	int ascii = 1;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)key[i] >= 0x80)
			ascii = 0;
	const char *src = key;
	size_t srclen = n;
	const char *ov = override_for(key, ascii);
	if (ov) {
		src = ov;
		srclen = strlen(ov);
	} else if (n > 4 && memcmp(key + n - 4, "ions", 4) == 0) {
		/* a plural in -ions is stemmed as its singular: Snowball
		 * takes -ions for a verb ending and cuts it, so "millions",
		 * "annexions", "avions" (planes) would not meet "million",
		 * "annexion", "avion"; "nous mangions" is rare in news copy */
		srclen = n - 1;
	} else if (n > 5 && memcmp(key + n - 3, "ers", 3) == 0
	           && !is_invariable_ers(key, n)) {
		/* a plural in -ers is stemmed as its singular: Snowball cuts
		 * -er as a verb ending but only the s of -ers, so
		 * "bouchers", "supporters" did not meet "boucher",
		 * "supporter" (the nouns of stem_overrides go the other way,
		 * singular as plural: their plural stays itself) */
		key[n - 1] = '\0';
		const char *sov = override_for(key, ascii);
		key[n - 1] = 's';
		if (sov) {
			src = sov;
			srclen = strlen(sov);
		} else {
			srclen = n - 1;
		}
	} else if ((n >= 3 && memcmp(key + n - 2, "if", 2) == 0)
	           || (n >= 4 && memcmp(key + n - 3, "ifs", 3) == 0)) {
		/* an adjective in -if is stemmed as its feminine: Snowball
		 * cuts -if and -ive only far enough into the word, so
		 * "objectif" meets "objective" but "actif" did not meet
		 * "active" (nor "juif" "juive") */
		size_t k = key[n - 1] == 's' ? n - 1 : n;
		memcpy(alt, key, k - 1);
		memcpy(alt + k - 1, "ve", 2);
		srclen = k + 1;
		alt[srclen] = '\0';
		src = alt;
	}
	size_t sl = dpx_stem(an->stemmer, src, srclen, an->stem,
	                     sizeof an->stem);
	if (sl == (size_t)-1) {
		memcpy(an->stem, src, srclen);
		an->stem[srclen] = '\0';
		sl = srclen;
	}
	/* stem, then fold */
	char term[sizeof an->stem2];
	dp_utf8_fold(an->stem, sl, term);

	/* fold, then stem: what a query typed without accents gives */
	const char *alias = NULL;
	if (!ascii && !ov) {
		size_t fl = dp_utf8_fold(src, srclen, an->folded);
		size_t s2 = dpx_stem(an->stemmer, an->folded, fl, an->stem2,
		                     sizeof an->stem2);
		if (s2 != (size_t)-1 && strcmp(an->stem2, term) != 0)
			alias = an->stem2;
	}
	/* an ordinal word also finds the ordinal in digits and in Roman
	 * numerals ("vingtième": "20e"), once per word in the cache */
	char ord[16];
	unsigned on;
	if (!alias && (on = ordinal_of_word(key)) > 0) {
		snprintf(ord, sizeof ord, "%ue", on);
		alias = ord;
	}
	return cache_add(&an->cache, key, n, h, term, alias);
}

static const char *position_term(const char *term, const char *alias)
{
	if (alias && !(term[0] >= '0' && term[0] <= '9'))
		return alias;
	return term;
}

const char *dp_token_position_term(const dp_token *t)
{
	return position_term(t->term, t->alias);
}

static size_t stem_into(dp_analyzer *an, const char *word, size_t len,
                        int positional, char *out)
{
	if (len > DP_MAX_WORD)
		len = DP_MAX_WORD;
	size_t ll = dp_utf8_lower(word, len, an->lower);
	const stem_entry *e = stem_word(an, an->lower, ll);
	if (!e) {
		out[0] = '\0';
		return 0;
	}
	const char *s = positional ? position_term(e->term, e->alias)
	                           : e->term;
	size_t n = strlen(s);
	memcpy(out, s, n + 1);
	return n;
}

size_t dp_analyzer_stem(dp_analyzer *an, const char *word, size_t len,
                        char *out)
{
	return stem_into(an, word, len, 0, out);
}

size_t dp_analyzer_stem_position(dp_analyzer *an, const char *word,
                                 size_t len, char *out)
{
	return stem_into(an, word, len, 1, out);
}

/* ---- token lists ---------------------------------------------------------- */

dp_tokens *dp_tokens_new(void)
{
	dp_tokens *t = calloc(1, sizeof *t);
	if (t)
		t->next_pos = 1;
	return t;
}

void dp_tokens_free(dp_tokens *t)
{
	if (!t)
		return;
	free(t->v);
	free(t->text_own);
	dp_arena_release(&t->mem);
	free(t);
}

void dp_tokens_reset(dp_tokens *t)
{
	t->n = 0;
	dp_arena_reset(&t->mem);
	free(t->text_own);
	t->text_own = NULL;
	t->text = NULL;
	t->text_len = 0;
	t->next_pos = 1;
	t->invalid = 0;
	t->first_invalid = 0;
}

size_t dp_tokens_count(const dp_tokens *t)
{
	return t->n;
}

const dp_token *dp_tokens_get(const dp_tokens *t, size_t i)
{
	return i < t->n ? &t->v[i] : NULL;
}

const char *dp_tokens_text(const dp_tokens *t, size_t *len)
{
	if (len)
		*len = t->text_len;
	return t->text;
}

uint32_t dp_tokens_next_pos(const dp_tokens *t)
{
	return t->next_pos;
}

size_t dp_tokens_invalid(const dp_tokens *t, size_t *first_offset)
{
	if (first_offset)
		*first_offset = t->first_invalid;
	return t->invalid;
}

static dp_token *push_token(dp_tokens *t)
{
	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 256;
		dp_token *nv = realloc(t->v, nc * sizeof *nv);
		if (!nv)
			return NULL;
		t->v = nv;
		t->cap = nc;
	}
	dp_token *tok = &t->v[t->n++];
	memset(tok, 0, sizeof *tok);
	return tok;
}

/* ---- tokenizer ------------------------------------------------------------ */

/* ' ’ ʼ, and ‘ (typed for ’ by some systems): apostrophes when between
 * letters. */
static int is_apostrophe(int32_t cp)
{
	return cp == '\'' || cp == 0x2019 || cp == 0x02BC || cp == 0x2018;
}

static int is_hyphen(int32_t cp)
{
	return cp == '-' || cp == 0x2010 || cp == 0x2011;
}

static int is_dash(int32_t cp)
{
	return cp == '-' || cp == 0x2013 || cp == 0x2014 || cp == 0x2212;
}

static int is_word_class(int c)
{
	return c == DP_CC_UPPER || c == DP_CC_LOWER || c == DP_CC_DIGIT
	       || c == DP_CC_MARK;
}

static int is_letter_class(int c)
{
	return c == DP_CC_UPPER || c == DP_CC_LOWER || c == DP_CC_MARK;
}

static int is_group_space(int32_t cp)
{
	/* spaces used inside numbers: NBSP, narrow NBSP, thin space */
	return cp == 0xA0 || cp == 0x202F || cp == 0x2009;
}

/* Peeks at the code point at i without moving. */
static int32_t peek(const char *s, size_t len, size_t i, size_t *next)
{
	if (i >= len) {
		if (next)
			*next = i;
		return -2;
	}
	size_t j = i;
	int32_t cp = dp_utf8_decode(s, len, &j);
	if (next)
		*next = j;
	return cp;
}

/* Whether exactly three digits start at i, followed by something that is
 * not part of a word ("1 000e" is not a number). */
static int three_digits_at(const char *s, size_t len, size_t i)
{
	for (int k = 0; k < 3; k++) {
		if (i + (size_t)k >= len || s[i + k] < '0' || s[i + k] > '9')
			return 0;
	}
	int32_t cp = peek(s, len, i + 3, NULL);
	return cp < 0 || !is_word_class(dp_unicode_class(cp));
}

typedef struct scan_state {
	dp_analyzer *an;
	dp_tokens *toks;
	const char *s;
	size_t len;
	int mode;
	uint32_t pos;          /* position of the next token */
	int first;             /* no token emitted yet in this call */
	int gap;               /* pending gap: 0, sentence or paragraph */
	int sent_start;        /* next word starts a sentence or a quote */
	int hyphen_next;       /* next word is joined by a hyphen */
	unsigned elided_next;  /* DP_TOK_ELIDED when an article was dropped
	                          apart: "l'« opération »", "l' Ukraine" */
	const char *elided;    /* the next word's elided article's word */
	size_t elided_start;
	uint32_t sentence, paragraph;
	const dp_token *last;  /* last emitted token, for abbreviations */
	size_t last_end;
} scan_state;

/* Whether the full stop at byte dot follows an abbreviation or an
 * initial, and so does not end the sentence. */
static int is_abbreviation(const scan_state *st, size_t dot)
{
	const dp_token *t = st->last;
	if (!t || st->last_end != dot)
		return 0;
	/* an initial: one upper-case letter ("M.", "J.") */
	if ((t->flags & DP_TOK_CAP) && strlen(t->word) == 1)
		return 1;
	return in_sorted(abbreviations, NELEM(abbreviations), t->word);
}

/* The suffix of an ordinal after its number, folded: "e" (20e), "er"
 * "re" "ere" (1er, 1re, 1ère), "eme" "ieme" "em" (20ème, 20ième), "nd"
 * "nde" (2nd, 2nde). */
static int ordinal_suffix(const char *s, unsigned n)
{
	static const char *const any[] = {"e", "eme", "ieme", "em"};
	for (size_t i = 0; i < NELEM(any); i++)
		if (!strcmp(s, any[i]))
			return 1;
	if (n == 1)
		return !strcmp(s, "er") || !strcmp(s, "re") || !strcmp(s, "ere");
	if (n == 2)
		return !strcmp(s, "nd") || !strcmp(s, "nde");
	return 0;
}

/* "20e", "1er", "2nde", "20ème" (folded): the number; 0 when the word is
 * not an ordinal in digits. */
static unsigned ordinal_in_digits(const char *folded)
{
	unsigned n = 0;
	size_t i = 0;
	for (; folded[i] >= '0' && folded[i] <= '9'; i++) {
		if (i >= 6)
			return 0;
		n = n * 10 + (unsigned)(folded[i] - '0');
	}
	if (i == 0 || n == 0 || folded[0] == '0')
		return 0;
	return ordinal_suffix(folded + i, n) ? n : 0;
}

/* "XXe", "Ier", "XVIIIe", "Ve" as written: the number; 0 when the word
 * is not a Roman ordinal.  One-letter numerals other than I, V and X are
 * words ("Ce", "Le", "De", "Me"). */
static unsigned ordinal_in_roman(const char *w, size_t len)
{
	static const char digits[] = "IVXLCDM";
	static const unsigned value[] = {1, 5, 10, 50, 100, 500, 1000};
	size_t i = 0;
	while (i < len && strchr(digits, w[i]) && w[i])
		i++;
	if (i == 0 || i == len || i > 12
	    || (i == 1 && w[0] != 'I' && w[0] != 'V' && w[0] != 'X'))
		return 0;
	unsigned n = 0;
	for (size_t k = 0; k < i; k++) {
		unsigned v = value[strchr(digits, w[k]) - digits];
		unsigned next = k + 1 < i
		                    ? value[strchr(digits, w[k + 1]) - digits]
		                    : 0;
		n = v < next ? n - v : n + v;
	}
	char suffix[8];
	size_t sl = len - i;
	if (sl >= sizeof suffix)
		return 0;
	memcpy(suffix, w + i, sl);
	suffix[sl] = '\0';
	/* "ème", "ère" as written */
	if (!strcmp(suffix, "\xc3\xa8me"))
		strcpy(suffix, "eme");
	else if (!strcmp(suffix, "\xc3\xa8re"))
		strcpy(suffix, "ere");
	if (n == 0 || n > 3999 || !ordinal_suffix(suffix, n))
		return 0;
	return n;
}

/* Sets an ordinal's term ("20e") and its alias, the stem of the word
 * for that number ("vingtiem"); -1 when out of memory. */
static int ordinal_token(dp_analyzer *an, dp_tokens *t, dp_token *tok,
                         unsigned n)
{
	char num[16];
	snprintf(num, sizeof num, "%ue", n);
	tok->term = dp_arena_strndup(&t->mem, num, strlen(num));
	if (!tok->term)
		return -1;
	for (size_t i = 0; i < NELEM(ordinal_words); i++)
		if (ordinal_words[i].n == n) {
			const char *l = ordinal_words[i].lower;
			const stem_entry *e = stem_word(an, l, strlen(l));
			if (!e)
				return -1;
			tok->alias = dp_arena_strndup(&t->mem, e->term,
			                              strlen(e->term));
			return tok->alias ? 0 : -1;
		}
	return 0;
}

/* Emits one word s[ws, we) (no elided prefix), returns -1 when out of
 * memory. */
static int emit_word(scan_state *st, size_t ws, size_t we, unsigned extra,
                     const char *whole_surface, size_t whole_len)
{
	dp_analyzer *an = st->an;
	dp_tokens *t = st->toks;
	const char *w = st->s + ws;
	size_t n = we - ws;
	if (n > DP_MAX_WORD)
		return 0;

	/* Classify: digits, letters, case. */
	int ndig = 0, nlet = 0, nup = 0, first_upper = 0, k = 0;
	unsigned ord;
	size_t i = 0;
	while (i < n) {
		int32_t cp = dp_utf8_decode(w, n, &i);
		int c = dp_unicode_class(cp);
		if (c == DP_CC_DIGIT)
			ndig++;
		else if (c == DP_CC_UPPER || c == DP_CC_LOWER) {
			nlet++;
			if (c == DP_CC_UPPER) {
				nup++;
				if (k == 0)
					first_upper = 1;
			}
		}
		k++;
	}
	if (nlet == 0 && ndig == 0)
		return 0;   /* combining marks only */

	dp_token *tok = push_token(t);
	if (!tok)
		return -1;
	tok->start = (uint32_t)ws;
	tok->end = (uint32_t)we;
	tok->flags = extra | st->elided_next;
	if (tok->flags & DP_TOK_ELIDED) {
		tok->elided = st->elided;
		tok->elided_start = (uint32_t)st->elided_start;
	}
	/* at a sentence start the capital of "L'Elysée" is the article's;
	 * a capital on the word after it is the word's own ("L'avion" is
	 * how a sentence starts, "L'Europe" names) */
	if (st->mode == DP_ANALYZE_INDEX && st->sent_start
	    && !((tok->flags & DP_TOK_ELIDED) && first_upper && nup < nlet))
		tok->flags |= DP_TOK_SENT_START;
	if (st->hyphen_next)
		tok->flags |= DP_TOK_HYPHEN;

	size_t ll = dp_utf8_lower(w, n, an->lower);
	size_t fl = dp_utf8_fold(an->lower, ll, an->folded);
	tok->word = dp_arena_strndup(&t->mem, an->folded, fl);
	if (!tok->word)
		return -1;

	if (nlet == 0) {
		/* a number: drop group separators, keep a decimal comma */
		char num[DP_MAX_WORD + 1];
		size_t o = 0;
		for (size_t j = 0; j < n && o < DP_MAX_WORD; j++) {
			char c = w[j];
			if ((c >= '0' && c <= '9') || c == ',')
				num[o++] = c;
			else if ((unsigned char)c < 0x80)
				continue;
		}
		/* non-ASCII digits (rare) keep their folded form */
		if (o == 0) {
			memcpy(num, an->folded, fl < DP_MAX_WORD ? fl : DP_MAX_WORD);
			o = fl < DP_MAX_WORD ? fl : DP_MAX_WORD;
		}
		tok->term = dp_arena_strndup(&t->mem, num, o);
		tok->flags |= DP_TOK_NUMBER;
	} else if (ndig > 0 && (ord = ordinal_in_digits(tok->word)) > 0) {
		/* "20e", "20ème", "1er": one term, and the word's stem */
		if (ordinal_token(an, t, tok, ord) < 0)
			return -1;
	} else if (ndig > 0) {
		/* letters and digits (G20, A380): no stemming */
		tok->term = tok->word;
	} else if (first_upper && (ord = ordinal_in_roman(w, n)) > 0) {
		/* "XXe siècle", "François Ier": an ordinal, not a name */
		if (ordinal_token(an, t, tok, ord) < 0)
			return -1;
		first_upper = 0;
	} else {
		const stem_entry *e = stem_word(an, an->lower, ll);
		if (!e)
			return -1;
		tok->term = dp_arena_strndup(&t->mem, e->term, strlen(e->term));
		if (e->alias)
			tok->alias = dp_arena_strndup(&t->mem, e->alias,
			                           strlen(e->alias));
	}
	if (!tok->term)
		return -1;
	if (!*tok->term || !*tok->word) {
		/* nothing left once folded (letters that are only marks) */
		t->n--;
		return 0;
	}

	if (first_upper) {
		tok->flags |= DP_TOK_CAP;
		if (nup >= 2 && nup == nlet)
			tok->flags |= DP_TOK_ALLCAPS;
		/* the name is the folded word: "Sergueï" and "SERGUEI" are
		 * the same name; being capitalised is what makes it one */
		tok->name = tok->word;
		if (!(tok->flags & DP_TOK_SENT_START)
		    && !in_sorted(titles, NELEM(titles), tok->word))
			tok->flags |= DP_TOK_NAME;
	}
	if (whole_surface) {
		char *wh = dp_arena_alloc(&t->mem, whole_len * 3 + 1);
		if (!wh)
			return -1;
		char low[DP_MAX_WORD * 2 + 8];
		size_t l2 = dp_utf8_lower(whole_surface,
		                          whole_len > DP_MAX_WORD ? DP_MAX_WORD
		                                                  : whole_len,
		                          low);
		dp_utf8_fold(low, l2, wh);
		tok->whole = wh;
		/* The name is the whole of it ("D'Alema", "L'Oréal"), except
		 * after a sentence-initial article: "L'Ukraine a ..." */
		int at_start = st->mode == DP_ANALYZE_INDEX && st->sent_start;
		if (first_upper && !(at_start && whole_surface[0] == 'L'))
			tok->name = tok->whole;
	}
	if (in_sorted(stopwords, NELEM(stopwords), tok->word))
		tok->flags |= DP_TOK_STOP;

	/* position */
	if (!st->first) {
		if (st->gap == 2)
			st->pos += DP_PARAGRAPH_GAP;
		else if (st->gap == 1)
			st->pos += DP_SENTENCE_GAP;
	}
	if (st->gap == 2) {
		st->paragraph++;
		st->sentence++;
	} else if (st->gap == 1) {
		st->sentence++;
	}
	tok->pos = st->pos++;
	tok->sentence = st->sentence;
	tok->paragraph = st->paragraph;
	st->first = 0;
	st->gap = 0;
	st->sent_start = 0;
	st->hyphen_next = 0;
	st->elided_next = 0;
	st->elided = NULL;
	st->last = tok;
	st->last_end = we;
	return 0;
}

/* Handles a raw word s[ws, we) that may hold apostrophes: splits elided
 * prefixes off, keeps the rest whole. */
static int emit_raw_word(scan_state *st, size_t ws, size_t we)
{
	const char *s = st->s;
	size_t at = ws;
	unsigned extra = 0;
	for (;;) {
		/* find the first apostrophe in [at, we) */
		size_t i = at, apo = 0, after = 0;
		int found = 0;
		while (i < we) {
			size_t j = i;
			int32_t cp = dp_utf8_decode(s, we, &j);
			if (is_apostrophe(cp)) {
				apo = i;
				after = j;
				found = 1;
				break;
			}
			i = j;
		}
		if (!found)
			break;
		size_t plen = apo - at;
		/* elisions are ASCII, at most 6 letters ("lorsqu") */
		char pre[8 * 3 + 1];
		if (plen == 0 || plen > 8)
			break;
		dp_utf8_fold(s + at, plen, pre);
		if (!in_sorted(elisions, NELEM(elisions), pre))
			break;
		st->elided = elided_word(pre);
		st->elided_start = at;
		/* An upper-case D' or L' before a capital is perhaps a name
		 * ("D'Alema"): keep the whole form as a second term. */
		size_t nx = after;
		int32_t next = peek(s, we, nx, NULL);
		if (plen == 1 && (s[at] == 'D' || s[at] == 'L')
		    && dp_unicode_class(next) == DP_CC_UPPER) {
			/* the whole word, up to the end or the next apostrophe */
			return emit_word(st, after, we, DP_TOK_ELIDED, s + at,
			                 we - at);
		}
		at = after;
		extra = DP_TOK_ELIDED;
	}
	if (at >= we) {
		/* only elided articles: "lʼ" before a space or a quote */
		st->elided_next = extra;
		return 0;
	}
	if (!extra && !st->elided_next)
		st->elided = NULL;
	return emit_word(st, at, we, extra, NULL, 0);
}

/* Looks past spaces and closing quotes after a sentence terminator:
 * whether the text that follows can start a new sentence. */
static int starts_new_sentence(const char *s, size_t len, size_t i)
{
	for (;;) {
		size_t j;
		int32_t cp = peek(s, len, i, &j);
		if (cp == -2)
			return 1;
		if (cp == '\n')
			return 1;
		int c = dp_unicode_class(cp);
		if (c == DP_CC_SPACE || cp == 0xBB || cp == 0x201D
		    || cp == '"' || cp == ')' || cp == 0x2019) {
			i = j;
			continue;
		}
		return c != DP_CC_LOWER && c != DP_CC_MARK && cp != ','
		       && cp != ';' && cp != ':';
	}
}

/* Scans the raw word whose first code point cp (of class c) ends at j:
 * letters, digits and marks, apostrophes between letters, and the
 * separators inside numbers ("2,5", "3.000", "1 000" with a space, NBSP or
 * U+202F).  Returns the end of the word. */
static size_t scan_word(const char *s, size_t len, int32_t cp, size_t j,
                        int c)
{
	size_t we = j, at = j;
	int all_digits = (c == DP_CC_DIGIT);
	int decimal = 0;            /* a decimal comma was met */
	size_t group = all_digits;  /* digits in the current group */
	size_t groups = 0;          /* group separators met */
	int32_t prev = cp;
	for (;;) {
		size_t nj;
		int32_t ncp = peek(s, len, at, &nj);
		if (ncp == -2)
			break;
		int nc = dp_unicode_class(ncp);
		if (ncp >= 0 && is_word_class(nc)) {
			if (nc == DP_CC_DIGIT)
				group++;
			else if (nc != DP_CC_MARK)
				all_digits = 0;
			prev = ncp;
			at = nj;
			we = at;
			continue;
		}
		size_t nj2;
		int32_t after = peek(s, len, nj, &nj2);
		int ac = after >= 0 ? dp_unicode_class(after) : DP_CC_OTHER;
		int pc = dp_unicode_class(prev);
		if (ncp >= 0 && is_apostrophe(ncp) && is_letter_class(pc)
		    && (ac == DP_CC_UPPER || ac == DP_CC_LOWER)) {
			prev = ncp;
			at = nj;
			continue;
		}
		if (all_digits && pc == DP_CC_DIGIT && ac == DP_CC_DIGIT) {
			if (ncp == ',') {
				decimal = 1;
				group = 0;
				prev = ncp;
				at = nj;
				continue;
			}
			/* thousands: a leading group of one to three digits,
			 * then groups of exactly three */
			if ((ncp == '.' || ncp == ' ' || is_group_space(ncp))
			    && !decimal && group >= 1
			    && (groups ? group == 3 : group <= 3)
			    && three_digits_at(s, len, nj)) {
				groups++;
				group = 0;
				prev = ncp;
				at = nj;
				continue;
			}
		}
		break;
	}
	return we;
}

/* Whether the word s[ws, we) is an elided article whose apostrophe is not
 * followed by a letter ("l'« opération »", "d’ “experts”", "l' Ukraine"):
 * the article is dropped like any other, and *after is set past the
 * apostrophe. */
static int is_dropped_elision(const char *s, size_t len, size_t ws,
                              size_t we, size_t *after)
{
	if (we - ws > 6 || we >= len)
		return 0;
	/* ' or the first byte of ’ ‘ (E2) or ʼ (CA) */
	unsigned char b = (unsigned char)s[we];
	if (b != '\'' && b != 0xE2 && b != 0xCA)
		return 0;
	size_t k;
	int32_t cp = peek(s, len, we, &k);
	if (!is_apostrophe(cp))
		return 0;
	char pre[6 * 3 + 1];
	dp_utf8_fold(s + ws, we - ws, pre);
	if (!in_sorted(elisions, NELEM(elisions), pre))
		return 0;
	*after = k;
	return 1;
}

/* Whether the code point cp at i breaks a line: LF, a CR not followed by
 * LF (old Mac files; CRLF breaks at its LF), U+2028 and U+2029. */
static int is_line_break(const char *s, size_t len, size_t i, int32_t cp)
{
	if (cp == '\n' || cp == 0x2028 || cp == 0x2029)
		return 1;
	return cp == '\r' && (i + 1 >= len || s[i + 1] != '\n');
}

/* Frequent capitalised sentence starters that are not names (folded):
 * with the stop words, they never start a multi-word name. */
static const char *const starters[] = {
	"ainsi", "alors", "apres", "aujourd'hui", "aussi", "autre", "autres",
	"avant", "certains", "ces", "cet", "cette", "chaque", "chez", "comme",
	"contre", "dans", "deja", "demain", "depuis", "dernier", "derniere",
	"encore", "enfin", "entre", "face", "hier", "ici", "lors", "lorsque",
	"mais", "malgre", "nouveau", "nouvelle", "outre", "parmi", "pendant",
	"plusieurs", "pour", "premier", "premiere", "puis", "quand", "sans",
	"selon", "sous", "tous", "toutes", "vers",
};

/* A set of strings for one document, by pointer to the token's string;
 * open addressing, sized for the document. */
typedef struct strtab {
	const char **slot;
	size_t cap;
} strtab;

static int strtab_init(strtab *h, size_t n)
{
	h->cap = 16;
	while (h->cap < n * 2)
		h->cap *= 2;
	h->slot = calloc(h->cap, sizeof *h->slot);
	return h->slot ? 0 : -1;
}

static void strtab_add(strtab *h, const char *s)
{
	size_t j = hash_bytes(s, strlen(s)) & (h->cap - 1);
	while (h->slot[j]) {
		if (strcmp(h->slot[j], s) == 0)
			return;
		j = (j + 1) & (h->cap - 1);
	}
	h->slot[j] = s;
}

static int strtab_has(const strtab *h, const char *s)
{
	size_t j = hash_bytes(s, strlen(s)) & (h->cap - 1);
	while (h->slot[j]) {
		if (strcmp(h->slot[j], s) == 0)
			return 1;
		j = (j + 1) & (h->cap - 1);
	}
	return 0;
}

int dp_tokens_mark_names(dp_tokens *t)
{
	strtab names, lower;
	if (strtab_init(&names, t->n) < 0)
		return -1;
	if (strtab_init(&lower, t->n) < 0) {
		free(names.slot);
		return -1;
	}
	for (size_t i = 0; i < t->n; i++) {
		const dp_token *k = &t->v[i];
		if (k->flags & DP_TOK_NAME)
			strtab_add(&names, k->name);
		else if (!(k->flags & DP_TOK_CAP))
			strtab_add(&lower, k->word);
	}
	for (size_t i = 0; i < t->n; i++) {
		dp_token *k = &t->v[i];
		if (!(k->flags & DP_TOK_CAP) || (k->flags & DP_TOK_NAME)
		    || !k->name || !(k->flags & DP_TOK_SENT_START))
			continue;
		if (in_sorted(titles, NELEM(titles), k->word))
			continue;
		if (strtab_has(&names, k->name)) {
			k->flags |= DP_TOK_NAME;
			continue;
		}
		const dp_token *nx = i + 1 < t->n ? &t->v[i + 1] : NULL;
		if (nx && nx->pos == k->pos + 1 && (nx->flags & DP_TOK_CAP)
		    && !(nx->flags & DP_TOK_SENT_START)
		    && !(k->flags & (DP_TOK_STOP | DP_TOK_ALLCAPS))
		    && !in_sorted(starters, NELEM(starters), k->word)
		    && !strtab_has(&lower, k->word))
			k->flags |= DP_TOK_NAME;
	}
	free(names.slot);
	free(lower.slot);
	return 0;
}

/* Words in capitals are names (OTAN, ONU) unless they come in a run of
 * three or more, as in a shouted headline ("MACRON ET POUTINE SIGNENT"):
 * those lose the name flag. */
static void shouted_runs(dp_tokens *t, size_t from)
{
	size_t i = from;
	while (i < t->n) {
		if (!(t->v[i].flags & DP_TOK_ALLCAPS)) {
			i++;
			continue;
		}
		size_t j = i + 1;
		while (j < t->n && (t->v[j].flags & DP_TOK_ALLCAPS)
		       && t->v[j].pos == t->v[j - 1].pos + 1)
			j++;
		if (j - i >= 3)
			for (size_t k = i; k < j; k++)
				t->v[k].flags &= ~(unsigned)DP_TOK_NAME;
		i = j;
	}
}

dp_status dp_analyze(dp_analyzer *an, const char *text, size_t len,
                     uint32_t first_pos, int mode, dp_tokens *toks,
                     dp_error *err)
{
	/* Blank out invalid UTF-8 (a separator, as the contract says: the
	 * offsets stay those of the input) and normalise to NFC when needed. */
	free(toks->text_own);
	toks->text_own = NULL;
	size_t first_bad = 0;
	toks->invalid = dp_utf8_count_invalid(text, len, &first_bad);
	toks->first_invalid = first_bad;
	const char *s = text;
	size_t slen = len;
	char *repaired = NULL;
	if (toks->invalid) {
		repaired = malloc(len + 1);
		if (!repaired)
			return dp_error_set(err, DP_ERR_NOMEM,
			                    "analyzer: out of memory");
		memcpy(repaired, text, len);
		repaired[len] = '\0';
		for (size_t i = first_bad; i < len;) {
			size_t at = i;
			if ((unsigned char)text[i] < 0x80)
				i++;
			else if (dp_utf8_decode(text, len, &i) < 0)
				repaired[at] = ' ';
		}
		s = repaired;
	}
	if (dp_utf8_maybe_not_nfc(s, slen)) {
		char *nfc = NULL;
		size_t nl = 0;
		dp_status st = dp_utf8_nfc(s, slen, &nfc, &nl, err);
		if (st != DP_OK) {
			free(repaired);
			return st;
		}
		free(repaired);
		repaired = nfc;
		s = nfc;
		slen = nl;
	}
	toks->text_own = repaired;
	toks->text = s;
	toks->text_len = slen;

	size_t first_token = toks->n;
	scan_state st = {
		.an = an, .toks = toks, .s = s, .len = slen, .mode = mode,
		.pos = first_pos ? first_pos : 1, .first = 1, .gap = 0,
		.sent_start = 1,
	};

	size_t i = 0;
	while (i < slen) {
		size_t j;
		int32_t cp = peek(s, slen, i, &j);
		int c = dp_unicode_class(cp);
		if (cp < 0) {
			i = j;
			continue;
		}
		if (is_word_class(c) && c != DP_CC_MARK) {
			size_t we = scan_word(s, slen, cp, j, c);
			size_t after;
			if (is_dropped_elision(s, slen, i, we, &after)) {
				char pre[6 * 3 + 1];
				dp_utf8_fold(s + i, we - i, pre);
				st.elided_next = DP_TOK_ELIDED;
				st.elided = elided_word(pre);
				st.elided_start = i;
				i = after;
				continue;
			}
			if (emit_raw_word(&st, i, we) < 0)
				goto nomem;
			i = we;
			continue;
		}
		/* punctuation and spaces */
		if (is_line_break(s, slen, i, cp)) {
			/* a blank line: paragraph break */
			size_t k = j;
			int blank = cp == 0x2029;
			while (!blank) {
				size_t kj;
				int32_t ncp = peek(s, slen, k, &kj);
				if (is_line_break(s, slen, k, ncp)) {
					blank = 1;
					break;
				}
				if (ncp == -2 || dp_unicode_class(ncp) != DP_CC_SPACE)
					break;
				k = kj;
			}
			if (blank) {
				st.gap = 2;
				st.sent_start = 1;
				st.elided_next = 0;
			}
			st.hyphen_next = 0;
			i = j;
			continue;
		}
		if (cp == '.' || cp == '!' || cp == '?' || cp == 0x2026) {
			int ends = starts_new_sentence(s, slen, j);
			/* "2.5", "5.9 secondes": not a sentence end */
			if (ends && cp == '.' && j < slen && s[j] >= '0'
			    && s[j] <= '9')
				ends = 0;
			if (ends && cp == '.' && is_abbreviation(&st, i))
				ends = 0;
			if (ends) {
				if (st.gap < 1)
					st.gap = 1;
				st.sent_start = 1;
				st.elided_next = 0;
			}
			st.hyphen_next = 0;
			i = j;
			continue;
		}
		if (cp == 0xAB || cp == 0x201C || cp == 0x201E) {
			/* « “ „ open a quotation */
			st.sent_start = 1;
			i = j;
			continue;
		}
		if (cp == '"') {
			/* an opening quote when what precedes is not a word */
			if (st.last_end != i)
				st.sent_start = 1;
			i = j;
			continue;
		}
		if (is_hyphen(cp) && st.last_end == i) {
			size_t nj;
			int32_t ncp = peek(s, slen, j, &nj);
			if (ncp >= 0 && is_word_class(dp_unicode_class(ncp)))
				st.hyphen_next = 1;
			i = j;
			continue;
		}
		if (is_dash(cp)) {
			/* a dash between spaces: "(AFP) - Les chefs" */
			size_t nj;
			int32_t ncp = peek(s, slen, j, &nj);
			if (ncp == -2 || dp_unicode_class(ncp) == DP_CC_SPACE)
				st.sent_start = 1;
			i = j;
			continue;
		}
		st.hyphen_next = 0;
		i = j;
	}
	toks->next_pos = st.first ? (first_pos ? first_pos : 1) : st.pos;
	shouted_runs(toks, first_token);
	return DP_OK;
nomem:
	return dp_error_set(err, DP_ERR_NOMEM, "analyzer: out of memory");
}
