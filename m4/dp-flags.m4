# dp-flags.m4: compiler flag probes for depeche.
#
# DP_CHECK_CFLAG(FLAG, [ACTION-IF-OK], [ACTION-IF-NOT])
#   Checks that the C compiler accepts FLAG (with -Werror, so that an
#   unknown warning option is not silently ignored).
AC_DEFUN([DP_CHECK_CFLAG], [
  AS_VAR_PUSHDEF([dp_var], [dp_cv_cflag_$1])
  AC_CACHE_CHECK([whether $CC accepts $1], [dp_var], [
    dp_save_CFLAGS="$CFLAGS"
    CFLAGS="$CFLAGS -Werror $1"
    AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [])],
      [AS_VAR_SET([dp_var], [yes])], [AS_VAR_SET([dp_var], [no])])
    CFLAGS="$dp_save_CFLAGS"])
  AS_VAR_IF([dp_var], [yes], [$2], [$3])
  AS_VAR_POPDEF([dp_var])
])

# DP_CHECK_CXXFLAG(FLAG, [ACTION-IF-OK], [ACTION-IF-NOT])
AC_DEFUN([DP_CHECK_CXXFLAG], [
  AS_VAR_PUSHDEF([dp_var], [dp_cv_cxxflag_$1])
  AC_CACHE_CHECK([whether $CXX accepts $1], [dp_var], [
    dp_save_CXXFLAGS="$CXXFLAGS"
    CXXFLAGS="$CXXFLAGS -Werror $1"
    AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [])],
      [AS_VAR_SET([dp_var], [yes])], [AS_VAR_SET([dp_var], [no])])
    CXXFLAGS="$dp_save_CXXFLAGS"])
  AS_VAR_IF([dp_var], [yes], [$2], [$3])
  AS_VAR_POPDEF([dp_var])
])

# DP_PTHREAD: find the flag that enables POSIX threads (gcc and
# clang on Linux: -pthread) and put it in PTHREAD_CFLAGS/PTHREAD_LIBS.
AC_DEFUN([DP_PTHREAD], [
  DP_CHECK_CFLAG([-pthread], [PTHREAD_CFLAGS=-pthread; PTHREAD_LIBS=-pthread],
    [AC_CHECK_LIB([pthread], [pthread_create], [PTHREAD_LIBS=-lpthread],
      [AC_MSG_ERROR([POSIX threads are required])])])
  AC_SUBST([PTHREAD_CFLAGS])
  AC_SUBST([PTHREAD_LIBS])
])
