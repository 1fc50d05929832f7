/* lock.c: the writer lock.  See lock.h. */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "lock.h"

struct dp_lock {
	int fd;
};

void dp_lock_path(const char *db, char *out, size_t outsz)
{
	size_t n = strlen(db);
	while (n > 1 && db[n - 1] == '/')
		n--;
	snprintf(out, outsz, "%.*s.lock", (int)n, db);
}

static pid_t read_pid(int fd)
{
	char buf[32];
	ssize_t r = pread(fd, buf, sizeof buf - 1, 0);
	if (r <= 0)
		return 0;
	buf[r] = '\0';
	long p = strtol(buf, NULL, 10);
	return p > 0 ? (pid_t)p : 0;
}

int dp_lock_acquire(const char *db, double wait_s,
                    const volatile sig_atomic_t *stop, dp_lock **out,
                    pid_t *holder, char *msg, size_t msgsz)
{
	*out = NULL;
	*holder = 0;
	char path[4096];
	dp_lock_path(db, path, sizeof path);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(msg, msgsz, "cannot create lock file '%s': %s", path,
		         strerror(errno));
		return DP_LOCK_ERROR;
	}
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			break;
		if (errno != EWOULDBLOCK && errno != EINTR) {
			snprintf(msg, msgsz, "cannot lock '%s': %s", path,
			         strerror(errno));
			close(fd);
			return DP_LOCK_ERROR;
		}
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		double waited = (double)(now.tv_sec - start.tv_sec)
		                + (double)(now.tv_nsec - start.tv_nsec) / 1e9;
		if ((wait_s >= 0 && waited >= wait_s) || (stop && *stop)) {
			*holder = read_pid(fd);
			close(fd);
			return DP_LOCK_BUSY;
		}
		struct timespec nap = {0, 100 * 1000 * 1000};
		nanosleep(&nap, NULL);
	}
	char pid[32];
	int l = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)l, 0) != l) {
		/* the lock holds; only the pid note failed (disk full) */
	}
	dp_lock *lk = malloc(sizeof *lk);
	if (!lk) {
		close(fd);
		snprintf(msg, msgsz, "out of memory");
		errno = ENOMEM;   /* for the caller's exit code */
		return DP_LOCK_ERROR;
	}
	lk->fd = fd;
	*out = lk;
	return DP_LOCK_OK;
}

void dp_lock_release(dp_lock *l)
{
	if (!l)
		return;
	if (ftruncate(l->fd, 0) != 0) {
		/* nothing to do: the pid note is advisory */
	}
	close(l->fd);
	free(l);
}
