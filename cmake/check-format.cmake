# ctest entry "format": fail if any C source or header differs from .clang-format's layout.
if(NOT CLANG_FORMAT)
  message(FATAL_ERROR "clang-format not found: install it (ci/install-deps.sh does)")
endif()
file(GLOB_RECURSE sources RELATIVE ${SOURCE_DIR}
     ${SOURCE_DIR}/model/*.c ${SOURCE_DIR}/model/*.h
     ${SOURCE_DIR}/harness/*.c ${SOURCE_DIR}/harness/*.h
     ${SOURCE_DIR}/fuzz/*.c ${SOURCE_DIR}/fuzz/*.h
     ${SOURCE_DIR}/dissector/*.c ${SOURCE_DIR}/dissector/*.h)
list(LENGTH sources count)
if(count EQUAL 0)
  message(FATAL_ERROR "no sources found under ${SOURCE_DIR}")
endif()
execute_process(COMMAND ${CLANG_FORMAT} --dry-run --Werror ${sources}
                WORKING_DIRECTORY ${SOURCE_DIR}
                RESULT_VARIABLE rc ERROR_VARIABLE diag)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "clang-format: these files need formatting "
                      "(run: make format)\n${diag}")
endif()
message(STATUS "format: ${count} files follow .clang-format")
