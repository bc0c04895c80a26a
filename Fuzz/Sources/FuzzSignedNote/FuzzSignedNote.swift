import AuditFuzzing

/// libFuzzer entry point for the `signed-note` harness (AuditFuzzing/FuzzTargets).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.run("signed-note", data, size)
    return 0
}
