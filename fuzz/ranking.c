/* ranking.c: fuzzes the ranking.yaml loader (depeche-ranking(5)), with
 * YAML syntax, profiles, inheritance and every typed value. */
#include "autoconf.h"

#include "fuzz.h"
#include "ranking.h"

DP_FUZZ_ENTRY(ranking)
{
	dp_ranking *rk;
	dp_error err;
	dp_status st = dp_ranking_load_string("fuzz.yaml", (const char *)data,
	                                      size, &rk, &err);
	DP_FUZZ_ASSERT(st == DP_OK || st == DP_ERR_CONFIG
	               || st == DP_ERR_NOMEM);
	if (st != DP_OK)
		return 0;
	for (size_t i = 0; i < rk->n; i++) {
		const dp_profile *p;
		DP_FUZZ_ASSERT(dp_ranking_profile(rk, rk->profiles[i].name, &p,
		                                  &err) == DP_OK);
		dpx_search_params sp;
		dp_profile_search_params(p, &sp);
	}
	const dp_profile *p;
	DP_FUZZ_ASSERT(dp_ranking_profile(rk, NULL, &p, &err) == DP_OK);
	dp_ranking_free(rk);
	return 0;
}
