/* snippet.c: fuzzes the snippet builder.  The first line of the input is
 * a query (its terms and names are what is highlighted), the rest the
 * dispatch's text (arbitrary bytes).  Checks that the snippet is one
 * line within the size asked and that highlights lie inside it. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "query.h"
#include "ranking.h"
#include "snippet.h"

static dp_ranking *rk;       /* both live for the whole run */
static const dp_profile *prof;

DP_FUZZ_ENTRY(snippet)
{
	dp_analyzer *an = dp_fuzz_analyzer();
	dp_error err;
	if (!prof) {
		DP_FUZZ_ASSERT(dp_ranking_builtin(&rk, &err) == DP_OK);
		DP_FUZZ_ASSERT(dp_ranking_profile(rk, NULL, &prof, &err)
		               == DP_OK);
	}
	const char *nl = memchr(data, '\n', size);
	size_t ql = nl ? (size_t)(nl - (const char *)data) : size;
	char *qtext = dp_fuzz_string(data, ql);
	const char *text = nl ? nl + 1 : "";
	/* dispatch text is a C string: it ends at a NUL */
	size_t len = nl ? strnlen(text, size - ql - 1) : 0;
	dp_qnode *tree;
	if (dp_query_parse(qtext, &tree, &err) != DP_OK) {
		free(qtext);
		return 0;
	}
	dp_compile_env env = {an, prof, NULL, NULL, 0, DP_PART_ALL, NULL};
	dp_compiled c;
	memset(&c, 0, sizeof c);
	if (dp_query_compile(tree, &env, 1, &c, &err) == DP_OK) {
		/* the sizes depeche-search uses, and a small one */
		static const size_t sizes[] = {240, 1000, 12};
		size_t max = sizes[size % 3];
		for (int whole = 0; whole < 2; whole++) {
			dp_snippet s;
			memset(&s, 0, sizeof s);
			dp_status st = dp_snippet_make(an, text, len, &c.terms,
			                               &c.names, max, whole, &s,
			                               &err);
			DP_FUZZ_ASSERT(st == DP_OK || st == DP_ERR_NOMEM);
			if (st == DP_OK) {
				DP_FUZZ_ASSERT(s.text != NULL);
				DP_FUZZ_ASSERT(strlen(s.text) == s.len);
				for (size_t i = 0; i < s.n_hl; i++)
					DP_FUZZ_ASSERT(s.hl[i].start < s.hl[i].end
					               && s.hl[i].end <= s.len);
			}
			dp_snippet_release(&s);
		}
	}
	dp_compiled_release(&c);
	dp_qnode_free(tree);
	free(qtext);
	return 0;
}
