/* analyzer.c: fuzzes the French analyzer on arbitrary bytes (invalid
 * UTF-8 included) in both modes, then the name marking of a document. */
#include "autoconf.h"

#include <string.h>

#include "fuzz.h"

DP_FUZZ_ENTRY(analyzer)
{
	dp_analyzer *an = dp_fuzz_analyzer();
	dp_tokens *t = dp_tokens_new();
	DP_FUZZ_ASSERT(t != NULL);
	dp_error err;
	for (int mode = 0; mode < 2; mode++) {
		dp_tokens_reset(t);
		DP_FUZZ_ASSERT(dp_analyze(an, (const char *)data, size, 1,
		                          mode ? DP_ANALYZE_QUERY
		                               : DP_ANALYZE_INDEX,
		                          t, &err) == DP_OK);
		size_t tl;
		const char *text = dp_tokens_text(t, &tl);
		uint32_t last = 0;
		for (size_t i = 0; i < dp_tokens_count(t); i++) {
			const dp_token *k = dp_tokens_get(t, i);
			/* offsets inside the text, positions never go back */
			DP_FUZZ_ASSERT(k->start <= k->end && k->end <= tl);
			DP_FUZZ_ASSERT(k->pos >= last);
			last = k->pos;
			DP_FUZZ_ASSERT(k->term && k->word);
			DP_FUZZ_ASSERT(strlen(k->word) <= DP_MAX_WORD * 4);
			char stem[DP_MAX_WORD * 3 + 1];
			if (strlen(k->word) <= DP_MAX_WORD)
				(void)dp_analyzer_stem(an, k->word,
				                       strlen(k->word), stem);
			(void)dp_analyzer_is_stopword(an, k->word);
		}
		(void)text;
		DP_FUZZ_ASSERT(dp_tokens_mark_names(t) == 0);
	}
	dp_tokens_free(t);
	return 0;
}
