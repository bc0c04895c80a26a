import AuditFuzzing

/// libFuzzer entry point for the `trust-root` harness (AuditFuzzing/FuzzTargets).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.run("trust-root", data, size)
    return 0
}
