import AuditFuzzing
import CLibFuzzer
#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer harness for `signed-note` (the body is `FuzzTargets.named("signed-note")` in AuditFuzzing,
/// which the test suite also replays over Tests/Fuzz/signed-note).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.run("signed-note", data, size)
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
