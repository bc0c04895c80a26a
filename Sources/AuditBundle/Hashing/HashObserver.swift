/// A seam for the race tests: called by the hashing worker after each chunk it reads,
/// with the file and the offset reached, so a test can grow, rewrite, truncate or rename
/// the file at an exact point of the hash instead of sleeping and hoping. Production code
/// never sets it.
struct HashObserver: Sendable {
    let afterChunk: @Sendable (_ path: BundlePath, _ offset: Int) -> Void
}
