// libFuzzer's library entry point (compiler-rt FuzzerInterface.h). Each harness calls it from
// its own main: SwiftPM names every executable's entry point itself (`<Target>_main`), so
// libFuzzer's default `main` cannot be used.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
