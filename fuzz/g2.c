/* g2.c: fuzzes the NewsML-G2 reader on its own (no format
 * detection): every record is read, validated, analysed and made into a
 * document as depeche-index would. */
#include "autoconf.h"

#include "fuzz.h"
#include "readers/readers.h"

DP_FUZZ_ENTRY(g2)
{
	dp_fuzz_format(&dp_format_g2, data, size);
	return 0;
}
