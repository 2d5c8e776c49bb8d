# Shared build helpers.

# Warnings for project code. Codec sources get the strict set: implicit integer narrowing and
# sign changes are where wire codecs go wrong, so they are errors there.
function(vcf_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wformat=2 -Wvla -Wshadow
                                           -Wstrict-prototypes)
  if(VCF_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

function(vcf_strict_warnings target)
  vcf_warnings(${target})
  target_compile_options(${target} PRIVATE -Wpedantic -Wconversion -Wsign-conversion
                                           -Wmissing-prototypes -Wcast-qual -Wcast-align
                                           -Wundef -Wnull-dereference)
endfunction()

# cmocka: pkg-config gives an imported target; Debian's cmocka-config.cmake only sets
# CMOCKA_INCLUDE_DIR / CMOCKA_LIBRARY, so wrap that as a fallback.
macro(vcf_find_cmocka)
  find_package(PkgConfig QUIET)
  if(PKG_CONFIG_FOUND)
    pkg_check_modules(CMOCKA QUIET IMPORTED_TARGET cmocka)
  endif()
  if(TARGET PkgConfig::CMOCKA)
    set(VCF_CMOCKA PkgConfig::CMOCKA)
  else()
    find_package(cmocka CONFIG REQUIRED)
    add_library(vcf_cmocka INTERFACE)
    target_include_directories(vcf_cmocka INTERFACE ${CMOCKA_INCLUDE_DIR})
    target_link_libraries(vcf_cmocka INTERFACE ${CMOCKA_LIBRARY})
    set(VCF_CMOCKA vcf_cmocka)
  endif()
endmacro()

# A cmocka test binary: one source, one ctest entry of the same name.
function(vcf_cmocka_test name source)
  add_executable(${name} ${source})
  vcf_warnings(${name})
  target_link_libraries(${name} PRIVATE ${VCF_CMOCKA} ${ARGN})
  add_test(NAME ${name} COMMAND ${name})
endfunction()
