import AuditFuzzing

/// libFuzzer entry point for the `yaml-zone-rules` harness (AuditFuzzing/FuzzTargets).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.run("yaml-zone-rules", data, size)
    return 0
}
