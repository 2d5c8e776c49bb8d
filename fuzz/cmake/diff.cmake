# fuzz/cmake/diff.cmake: being written
