# vectors tests: being written
