import AuditFuzzing

/// libFuzzer entry point for the `edge-state` harness (AuditFuzzing/FuzzTargets).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.run("edge-state", data, size)
    return 0
}
