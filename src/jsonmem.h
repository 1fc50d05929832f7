/* jsonmem.h: jansson's allocations, made safe to fail.
 *
 * jansson 2.14 does not survive a failed allocation while it saves the
 * text of a string (lex_save ignores it): it then asserts, or decodes
 * past its buffer and corrupts the heap.  So jansson allocates through
 * dp_json_init's functions: malloc, and when malloc fails, a reserve set
 * aside at the start, noting the failure; the caller asks
 * dp_json_out_of_memory after each parse and refuses the record with
 * DP_ERR_NOMEM.  When the reserve too is spent, the process exits 71
 * with "out of memory": nothing else is safe then. */
#ifndef DEPECHE_JSONMEM_H
#define DEPECHE_JSONMEM_H

/* Installs the allocator (once, before any jansson call). */
void dp_json_init(void);

/* Whether an allocation failed since the last call (and clears it). */
int dp_json_out_of_memory(void);

#endif
