# report tests: being written
