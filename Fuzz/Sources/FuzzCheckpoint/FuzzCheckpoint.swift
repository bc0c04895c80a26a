import AuditFuzzing

/// libFuzzer entry point for the `checkpoint` harness (AuditFuzzing/FuzzTargets).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.run("checkpoint", data, size)
    return 0
}
