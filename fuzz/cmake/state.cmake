# fuzz/cmake/state.cmake: being written
