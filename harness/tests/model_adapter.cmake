# model_adapter tests: being written
