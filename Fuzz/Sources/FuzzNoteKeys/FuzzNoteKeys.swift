import AuditFuzzing

/// libFuzzer entry point for the `note-keys` harness (AuditFuzzing/FuzzTargets).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.run("note-keys", data, size)
    return 0
}
