import AuditFuzzing

/// libFuzzer entry point for the `yaml-approval-policy` harness (AuditFuzzing/FuzzTargets).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.run("yaml-approval-policy", data, size)
    return 0
}
