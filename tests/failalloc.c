/* failalloc.c: an LD_PRELOAD library that makes one allocation fail.
 *
 *   DP_FAILALLOC_N=N    the Nth call (1-based) of malloc, calloc, realloc,
 *                       strdup or strndup made after main starts returns
 *                       NULL with errno ENOMEM (C++'s operator new then
 *                       throws std::bad_alloc: it allocates with malloc);
 *                       0 or unset: none fails, calls are only counted
 *   DP_FAILALLOC_PERSIST=1  every call from the Nth on fails
 *   DP_FAILALLOC_LOG=FILE   at exit, appends "calls C failed F" to FILE
 *
 * operator new is replaced too, and throws std::bad_alloc where malloc
 * would return NULL.  Allocations libxapian and libxml2 make themselves
 * (directly or through libstdc++) are not failed: Xapian 1.4 is not safe
 * against them everywhere (its query optimiser dereferences a null
 * posting list after one; a replace_document left a second copy), and
 * libxml2 2.9 drops a failed attribute without an error.  The sweep
 * tests depeche's own handling of a failed allocation.
 *
 * Calls made before main (the dynamic loader, constructors of the
 * libraries) are not counted: main is wrapped through
 * __libc_start_main.  Used by tests/t-failalloc.sh; glibc only. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <link.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t m);
extern void *__libc_realloc(void *p, size_t n);

static atomic_ulong calls, failed;
static atomic_int armed;
static unsigned long fail_at;
static int persist;

/* The text of the libraries whose allocations are left alone, found
 * once when main starts: libxapian (not safe against a failed
 * allocation everywhere) and libxml2 (which does not report every one:
 * a failed attribute is dropped with no error, and the document looks
 * whole but wrong) */
#define NLIBS 2
static const char *const lib_names[NLIBS] = {"libxapian", "libxml2"};
static uintptr_t lib_lo[NLIBS], lib_hi[NLIBS];

static int find_libs(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	for (int k = 0; k < NLIBS; k++) {
		if (!info->dlpi_name || !strstr(info->dlpi_name, lib_names[k]))
			continue;
		for (int i = 0; i < info->dlpi_phnum; i++) {
			const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
			if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
				continue;
			uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
			uintptr_t hi = lo + ph->p_memsz;
			if (!lib_lo[k] || lo < lib_lo[k])
				lib_lo[k] = lo;
			if (hi > lib_hi[k])
				lib_hi[k] = hi;
		}
	}
	return 0;
}

static int from_xapian(const void *caller)
{
	uintptr_t a = (uintptr_t)caller;
	for (int k = 0; k < NLIBS; k++)
		if (lib_lo[k] && a >= lib_lo[k] && a < lib_hi[k])
			return 1;
	return 0;
}

/* Whether one of the callers a few frames up is libxapian: std::string
 * and operator new reached from Xapian's code through libstdc++ are
 * Xapian's allocations too (a replace_document that failed there left
 * a second copy of a dispatch).  Asked only of the call about to fail. */
static int inside_xapian(void)
{
	void *bt[10];
	int n = backtrace(bt, 10);
	for (int i = 1; i < n; i++)
		if (from_xapian(bt[i]))
			return 1;
	return 0;
}

static int fail_now_for(const void *caller)
{
	if (!atomic_load_explicit(&armed, memory_order_relaxed))
		return 0;
	if (from_xapian(caller))
		return 0;
	unsigned long c = atomic_fetch_add(&calls, 1) + 1;
	if (fail_at && (c == fail_at || (persist && c > fail_at))
	    && !inside_xapian()) {
		atomic_fetch_add(&failed, 1);
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

#define fail_now() fail_now_for(__builtin_return_address(0))

void *malloc(size_t n)
{
	return fail_now() ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t m)
{
	return fail_now() ? NULL : __libc_calloc(n, m);
}

void *realloc(void *p, size_t n)
{
	return fail_now() ? NULL : __libc_realloc(p, n);
}

char *strdup(const char *s)
{
	if (fail_now())
		return NULL;
	size_t n = strlen(s) + 1;
	char *p = __libc_malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

char *strndup(const char *s, size_t max)
{
	if (fail_now())
		return NULL;
	size_t n = strnlen(s, max);
	char *p = __libc_malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* operator new and new[] (plain and nothrow), as libstdc++'s but over
 * __libc_malloc: a failure throws std::bad_alloc */
extern void _ZSt17__throw_bad_allocv(void) __attribute__((noreturn));
void *_Znwm(size_t n);
void *_Znam(size_t n);
void *_ZnwmRKSt9nothrow_t(size_t n, const void *tag);
void *_ZnamRKSt9nothrow_t(size_t n, const void *tag);

static void *new_for(size_t n, const void *caller, int nothrow)
{
	if (n == 0)
		n = 1;
	void *p = fail_now_for(caller) ? NULL : __libc_malloc(n);
	if (!p && !nothrow)
		_ZSt17__throw_bad_allocv();
	return p;
}

void *_Znwm(size_t n)
{
	return new_for(n, __builtin_return_address(0), 0);
}

void *_Znam(size_t n)
{
	return new_for(n, __builtin_return_address(0), 0);
}

void *_ZnwmRKSt9nothrow_t(size_t n, const void *tag)
{
	(void)tag;
	return new_for(n, __builtin_return_address(0), 1);
}

void *_ZnamRKSt9nothrow_t(size_t n, const void *tag)
{
	(void)tag;
	return new_for(n, __builtin_return_address(0), 1);
}

static void report(void)
{
	const char *log = getenv("DP_FAILALLOC_LOG");
	if (!log || !*log)
		return;
	char line[96];
	int l = snprintf(line, sizeof line, "calls %lu failed %lu\n",
	                 atomic_load(&calls), atomic_load(&failed));
	int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd >= 0) {
		if (write(fd, line, (size_t)l) < 0) {
			/* nothing to do */
		}
		close(fd);
	}
}

typedef int (*main_fn)(int, char **, char **);
static main_fn real_main;

static int wrapped_main(int argc, char **argv, char **envp)
{
	const char *n = getenv("DP_FAILALLOC_N");
	const char *p = getenv("DP_FAILALLOC_PERSIST");
	fail_at = n ? strtoul(n, NULL, 10) : 0;
	persist = p && *p == '1';
	dl_iterate_phdr(find_libs, NULL);
	/* backtrace loads libgcc_s (and allocates) on its first call: now,
	 * before any allocation can fail */
	void *bt[2];
	backtrace(bt, 2);
	/* the report runs at exit, also after a failure in the program */
	atexit(report);
	atomic_store(&armed, 1);
	return real_main(argc, argv, envp);
}

int __libc_start_main(main_fn m, int argc, char **argv, void (*init)(void),
                      void (*fini)(void), void (*rtld_fini)(void),
                      void *stack_end);
typedef int (*start_fn)(main_fn, int, char **, void (*)(void),
                        void (*)(void), void (*)(void), void *);

int __libc_start_main(main_fn m, int argc, char **argv, void (*init)(void),
                      void (*fini)(void), void (*rtld_fini)(void),
                      void *stack_end)
{
	start_fn real = (start_fn)dlsym(RTLD_NEXT, "__libc_start_main");
	real_main = m;
	return real(wrapped_main, argc, argv, init, fini, rtld_fini,
	            stack_end);
}
