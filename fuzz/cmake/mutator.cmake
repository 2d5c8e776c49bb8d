# fuzz/cmake/mutator.cmake: being written
