# run tests: being written
