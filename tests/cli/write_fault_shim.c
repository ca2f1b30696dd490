/* An LD_PRELOAD shim that makes writing into one folder fail the way a real system does, for
 * tests/cli/test_output_faults.py (issue 20, item 4; docs/reliability.md). Without root, a
 * tmpfs or a read-only mount is out of reach; interposing libc's entry points is not.
 *
 * Environment:
 *   TP_FAULT_DIR    absolute folder whose files are affected (nothing else is)
 *   TP_FAULT        enospc  writes fail with ENOSPC once TP_FAULT_BYTES bytes were written
 *                           into the folder (a disk that fills up during the write)
 *                   erofs   creating or opening a file there for writing, renaming into it
 *                           and removing from it fail with EROFS (a read-only folder)
 *                   kill    the process kills itself (SIGKILL) at the first write past
 *                           TP_FAULT_BYTES bytes (killed in the middle of writing)
 *   TP_FAULT_BYTES  see above (default 0)
 *
 * Interposed: open, open64, openat, openat64, creat, creat64, fopen, fopen64, mkstemp,
 * mkstemp64, mkostemp, rename, renameat, unlink, remove, write, pwrite, pwrite64, writev.
 * HDF5's sec2 driver (pwrite/write) and libstdc++'s filebuf (write/writev) call these
 * through the PLT; glibc's own stdio does not (it is not used for outputs). */
#undef _FORTIFY_SOURCE /* its inline open() wrappers would clash with ours */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static const char* fault_dir(void) { return getenv("TP_FAULT_DIR"); }

static int mode_is(const char* m) {
  const char* f = getenv("TP_FAULT");
  return f != NULL && strcmp(f, m) == 0;
}

static long long limit_bytes(void) {
  const char* b = getenv("TP_FAULT_BYTES");
  return b ? atoll(b) : 0;
}

/* Whether `path` (absolute, or relative to the working folder) lies in TP_FAULT_DIR. */
static int in_dir(const char* path) {
  const char* dir = fault_dir();
  if (dir == NULL || path == NULL) return 0;
  char buf[4096];
  if (path[0] != '/') {
    if (getcwd(buf, sizeof buf - 1) == NULL) return 0;
    size_t n = strlen(buf);
    snprintf(buf + n, sizeof buf - n, "/%s", path);
    path = buf;
  }
  const size_t n = strlen(dir);
  return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static int fd_in_dir(int fd) {
  if (fault_dir() == NULL) return 0;
  char link[64], target[4096];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t n = readlink(link, target, sizeof target - 1);
  if (n <= 0) return 0;
  target[n] = '\0';
  return in_dir(target);
}

static long long written = 0; /* bytes written into the folder so far */

/* 0: let the write of `n` bytes to `fd` through; -1 with errno set: fail it. */
static int before_write(int fd, size_t n) {
  if (!fd_in_dir(fd)) return 0;
  if ((mode_is("enospc") || mode_is("kill")) && written + (long long)n > limit_bytes()) {
    if (mode_is("kill")) kill(getpid(), SIGKILL);
    errno = ENOSPC;
    return -1;
  }
  written += (long long)n;
  return 0;
}

static int refuse_path(const char* path) {
  if (mode_is("erofs") && in_dir(path)) {
    errno = EROFS;
    return 1;
  }
  return 0;
}

#define REAL(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

static int writes(int flags) { return (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)) != 0; }

int open(const char* path, int flags, ...) {
  mode_t mode = 0;
  if (flags & (O_CREAT | __O_TMPFILE)) {
    va_list ap;
    va_start(ap, flags);
    mode = (mode_t)va_arg(ap, int);
    va_end(ap);
  }
  if (writes(flags) && refuse_path(path)) return -1;
  return REAL(open)(path, flags, mode);
}

int open64(const char* path, int flags, ...) {
  mode_t mode = 0;
  if (flags & (O_CREAT | __O_TMPFILE)) {
    va_list ap;
    va_start(ap, flags);
    mode = (mode_t)va_arg(ap, int);
    va_end(ap);
  }
  if (writes(flags) && refuse_path(path)) return -1;
  return REAL(open64)(path, flags, mode);
}

int openat(int dirfd, const char* path, int flags, ...) {
  mode_t mode = 0;
  if (flags & (O_CREAT | __O_TMPFILE)) {
    va_list ap;
    va_start(ap, flags);
    mode = (mode_t)va_arg(ap, int);
    va_end(ap);
  }
  if (writes(flags) && (dirfd == AT_FDCWD || path[0] == '/') && refuse_path(path)) return -1;
  return REAL(openat)(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char* path, int flags, ...) {
  mode_t mode = 0;
  if (flags & (O_CREAT | __O_TMPFILE)) {
    va_list ap;
    va_start(ap, flags);
    mode = (mode_t)va_arg(ap, int);
    va_end(ap);
  }
  if (writes(flags) && (dirfd == AT_FDCWD || path[0] == '/') && refuse_path(path)) return -1;
  return REAL(openat64)(dirfd, path, flags, mode);
}

int creat(const char* path, mode_t mode) {
  if (refuse_path(path)) return -1;
  return REAL(creat)(path, mode);
}

int creat64(const char* path, mode_t mode) {
  if (refuse_path(path)) return -1;
  return REAL(creat64)(path, mode);
}

FILE* fopen(const char* path, const char* m) {
  if (strpbrk(m, "wa+") != NULL && refuse_path(path)) return NULL;
  return REAL(fopen)(path, m);
}

FILE* fopen64(const char* path, const char* m) {
  if (strpbrk(m, "wa+") != NULL && refuse_path(path)) return NULL;
  return REAL(fopen64)(path, m);
}

int mkstemp(char* tmpl) {
  if (refuse_path(tmpl)) return -1;
  return REAL(mkstemp)(tmpl);
}

int mkstemp64(char* tmpl) {
  if (refuse_path(tmpl)) return -1;
  return REAL(mkstemp64)(tmpl);
}

int mkostemp(char* tmpl, int flags) {
  if (refuse_path(tmpl)) return -1;
  return REAL(mkostemp)(tmpl, flags);
}

int rename(const char* from, const char* to) {
  if (refuse_path(to) || refuse_path(from)) return -1;
  return REAL(rename)(from, to);
}

int renameat(int fromfd, const char* from, int tofd, const char* to) {
  if ((tofd == AT_FDCWD || to[0] == '/') && refuse_path(to)) return -1;
  return REAL(renameat)(fromfd, from, tofd, to);
}

int unlink(const char* path) {
  if (refuse_path(path)) return -1;
  return REAL(unlink)(path);
}

int remove(const char* path) {
  if (refuse_path(path)) return -1;
  return REAL(remove)(path);
}

ssize_t write(int fd, const void* buf, size_t n) {
  if (before_write(fd, n) != 0) return -1;
  return REAL(write)(fd, buf, n);
}

ssize_t pwrite(int fd, const void* buf, size_t n, off_t off) {
  if (before_write(fd, n) != 0) return -1;
  return REAL(pwrite)(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void* buf, size_t n, off64_t off) {
  if (before_write(fd, n) != 0) return -1;
  return REAL(pwrite64)(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec* iov, int count) {
  size_t n = 0;
  for (int i = 0; i < count; ++i) n += iov[i].iov_len;
  if (before_write(fd, n) != 0) return -1;
  return REAL(writev)(fd, iov, count);
}
