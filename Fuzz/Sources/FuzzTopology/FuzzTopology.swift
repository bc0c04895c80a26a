import AuditFuzzing

/// libFuzzer entry point for the `yaml-topology` harness (AuditFuzzing/FuzzTargets).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.run("yaml-topology", data, size)
    return 0
}
