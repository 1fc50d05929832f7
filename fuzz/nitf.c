/* nitf.c: fuzzes the NITF reader on its own (no format
 * detection): every record is read, validated, analysed and made into a
 * document as depeche-index would. */
#include "autoconf.h"

#include "fuzz.h"
#include "readers/readers.h"

DP_FUZZ_ENTRY(nitf)
{
	dp_fuzz_format(&dp_format_nitf, data, size);
	return 0;
}
