# fuzz/cmake/codec.cmake: being written
