import AuditFuzzing
import CLibFuzzer
#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer harness for `edge-state` (the body is `FuzzTargets.named("edge-state")` in AuditFuzzing,
/// which the test suite also replays over Tests/Fuzz/edge-state).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.run("edge-state", data, size)
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
