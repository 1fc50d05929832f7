/* input.c: fuzzes what depeche-index does with any file: the gzip layer
 * (gzip is detected by content), format detection, then the reader it
 * picked, every record read, validated, analysed and made into a
 * document. */
#include "autoconf.h"

#include <stdlib.h>

#include "fuzz.h"
#include "readers/readers.h"

DP_FUZZ_ENTRY(input)
{
	const char *path = dp_fuzz_file(data, size);
	dp_reader_opts o;
	dp_reader_opts_init(&o);
	o.max_record = 1u << 20;
	o.file_mtime = 1658966400;
	dp_reader *r;
	dp_error err;
	dp_status st = dp_reader_open(path, &o, &r, &err);
	DP_FUZZ_ASSERT(st != DP_ERR_INTERNAL);
	if (st != DP_OK)
		return 0;
	/* a gzip file may decompress to far more than its size */
	dp_fuzz_drain(r, dp_fuzz_bytes(r, size));
	dp_reader_free(r);
	return 0;
}
