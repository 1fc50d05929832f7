/* fuzz.h: what the libFuzzer harnesses share.
 *
 * Each fuzz/<name>.c defines one entry point with DP_FUZZ_ENTRY(name).
 * Built with --enable-fuzz, it is LLVMFuzzerTestOneInput of the program
 * fuzz/fuzz-<name>; built into tests/fuzz-replay (every build), it is
 * dp_harness_<name>, which the replay program calls on files, so that the
 * inputs the fuzzers found (tests/fixtures/fuzz/<name>/) stay tests in
 * ordinary builds and under the sanitizers of CI. */
#ifndef DEPECHE_FUZZ_H
#define DEPECHE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "analyzer.h"
#include "dispatch.h"
#include "reader.h"

#ifdef DP_FUZZ_REPLAY
#define DP_FUZZ_ENTRY(name) \
	int dp_harness_##name(const uint8_t *data, size_t size); \
	int dp_harness_##name(const uint8_t *data, size_t size)
#else
#define DP_FUZZ_ENTRY(name) \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size); \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#endif

/* A library call that must not fail the way it did: prints and aborts,
 * so that libFuzzer keeps the input as a crash. */
#define DP_FUZZ_ASSERT(cond) \
	((cond) ? (void)0 : dp_fuzz_fail(__FILE__, __LINE__, #cond))
void dp_fuzz_fail(const char *file, int line, const char *what)
	__attribute__((noreturn));

/* One analyzer for the whole run (made on first use). */
dp_analyzer *dp_fuzz_analyzer(void);

/* Writes the input to an in-memory file and returns its path
 * ("/proc/self/fd/N"), valid until the next call. */
const char *dp_fuzz_file(const uint8_t *data, size_t size);

/* Reads every dispatch of an open reader as depeche-index would: each
 * is validated, analysed and made into a document (without a database),
 * and its document data is encoded and decoded back.  Bounded: the
 * reader must make progress, at most one record per input byte. */
void dp_fuzz_drain(dp_reader *r, size_t size);
/* The most bytes r can give from an input of size bytes (a gzip stream
 * decompresses to more), the bound of dp_fuzz_drain's calls. */
size_t dp_fuzz_bytes(const dp_reader *r, size_t size);

/* Opens the input as the reader of one format, skipping detection (so
 * that a harness explores one format only). */
struct dp_format;
void dp_fuzz_format(const struct dp_format *fmt, const uint8_t *data,
                    size_t size);

/* A NUL-terminated copy of the input (malloc()ed). */
char *dp_fuzz_string(const uint8_t *data, size_t size);

#endif
