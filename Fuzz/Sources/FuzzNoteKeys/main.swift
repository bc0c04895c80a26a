import AuditFuzzing
import CLibFuzzer
#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer harness for `note-keys` (the body is `FuzzTargets.named("note-keys")` in AuditFuzzing,
/// which the test suite also replays over Tests/Fuzz/note-keys).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.run("note-keys", data, size)
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
