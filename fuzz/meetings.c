/* meetings.c: fuzzes the meetings.yaml loader (the vocabulary of
 * --meetings, analysed as query words). */
#include "autoconf.h"

#include "dossier.h"
#include "fuzz.h"

DP_FUZZ_ENTRY(meetings)
{
	dp_vocab *v;
	dp_error err;
	dp_status st = dp_vocab_load_string("fuzz.yaml", (const char *)data,
	                                    size, dp_fuzz_analyzer(), &v, &err);
	DP_FUZZ_ASSERT(st == DP_OK || st == DP_ERR_CONFIG
	               || st == DP_ERR_NOMEM);
	if (st != DP_OK)
		return 0;
	(void)dp_vocab_count(v);
	dp_vocab_free(v);
	return 0;
}
