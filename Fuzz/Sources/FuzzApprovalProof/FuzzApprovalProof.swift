import AuditFuzzing

/// libFuzzer entry point for the `approval-proof` harness (AuditFuzzing/FuzzTargets).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.run("approval-proof", data, size)
    return 0
}
