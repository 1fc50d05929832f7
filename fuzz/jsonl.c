/* jsonl.c: fuzzes the JSON Lines reader on its own (no format
 * detection): every record is read, validated, analysed and made into a
 * document as depeche-index would. */
#include "autoconf.h"

#include "fuzz.h"
#include "readers/readers.h"

DP_FUZZ_ENTRY(jsonl)
{
	dp_fuzz_format(&dp_format_jsonl, data, size);
	return 0;
}
