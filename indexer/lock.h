/* lock.h: one writer at a time.  The lock is a file next to the database
 * ("DB.lock") held with flock(2); it records the holder's pid so that a
 * second indexer can say who has it.  The kernel drops the lock when the
 * holder dies, even by SIGKILL, so a crash never leaves a stale lock. */
#ifndef DEPECHE_LOCK_H
#define DEPECHE_LOCK_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct dp_lock dp_lock;

enum { DP_LOCK_OK = 0, DP_LOCK_BUSY = 1, DP_LOCK_ERROR = 2 };

/* Takes the lock of database db, waiting up to wait_s seconds (0: not at
 * all, negative: forever).  On DP_LOCK_BUSY *holder is the holder's pid
 * (0 when unknown); on DP_LOCK_ERROR msg says why. */
/* stop, when non-NULL, is polled while waiting: a non-zero value (a
 * signal arrived) gives up with DP_LOCK_BUSY. */
int dp_lock_acquire(const char *db, double wait_s,
                    const volatile sig_atomic_t *stop, dp_lock **out,
                    pid_t *holder, char *msg, size_t msgsz);
void dp_lock_release(dp_lock *l);
/* The lock file's path for db into out. */
void dp_lock_path(const char *db, char *out, size_t outsz);

#endif
