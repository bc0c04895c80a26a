import AuditFuzzing

/// libFuzzer entry point for the `signature-file` harness (AuditFuzzing/FuzzTargets).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.run("signature-file", data, size)
    return 0
}
