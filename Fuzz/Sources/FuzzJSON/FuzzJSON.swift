import AuditFuzzing

/// libFuzzer entry point for the `json` harness (AuditFuzzing/FuzzTargets).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.run("json", data, size)
    return 0
}
