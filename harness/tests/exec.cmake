# exec tests: being written
