# Cross build for s390x (big-endian); tests run under qemu-user.
#
# Target libraries (cmocka, jansson) come from a download-only sysroot made by
# ci/s390x-sysroot.sh: pass it as -DS390X_SYSROOT=<dir> or in the environment.
# binfmt_misc is not assumed: ctest calls qemu-s390x explicitly. The guest uses the loader from
# /usr/s390x-linux-gnu (-L) and LD_LIBRARY_PATH set only for the guest (-E), so the cross libc
# and any multiarch libc are never mixed.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR s390x)
set(CMAKE_C_COMPILER s390x-linux-gnu-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE s390x-linux-gnu)

if(NOT S390X_SYSROOT)
  set(S390X_SYSROOT "$ENV{S390X_SYSROOT}")
endif()
set(S390X_SYSROOT "${S390X_SYSROOT}" CACHE PATH "download-only sysroot of :s390x packages")
# CMake reads this file again for its try_compile checks, without the cache. Hand the sysroot
# on, or those re-reads reset the pkg-config environment shared with the main configure.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES S390X_SYSROOT)
if(S390X_SYSROOT)
  set(ENV{S390X_SYSROOT} "${S390X_SYSROOT}")
endif()

set(_ldpath "/usr/s390x-linux-gnu/lib")
set(_pcdirs "/usr/lib/s390x-linux-gnu/pkgconfig:/usr/share/pkgconfig")
if(S390X_SYSROOT)
  set(_srlib "${S390X_SYSROOT}/usr/lib/s390x-linux-gnu")
  set(_ldpath "${_ldpath}:${S390X_SYSROOT}/lib/s390x-linux-gnu:${_srlib}")
  set(_pcdirs "${_srlib}/pkgconfig")
  set(ENV{PKG_CONFIG_SYSROOT_DIR} "${S390X_SYSROOT}")
  list(APPEND CMAKE_PREFIX_PATH "${S390X_SYSROOT}/usr")
  string(APPEND CMAKE_EXE_LINKER_FLAGS_INIT
         " -Wl,-rpath-link,${S390X_SYSROOT}/lib/s390x-linux-gnu:${_srlib}")
endif()
# The host's pkg-config would hand out x86_64 libraries.
set(ENV{PKG_CONFIG_LIBDIR} "${_pcdirs}")
set(ENV{PKG_CONFIG_PATH} "")

set(CMAKE_CROSSCOMPILING_EMULATOR
    qemu-s390x;-L;/usr/s390x-linux-gnu;-E;LD_LIBRARY_PATH=${_ldpath})
