// Intentionally empty: CLibFuzzer only exports the declaration in include/CLibFuzzer.h.
