/// Key hashes as the note formats print them: 8 lowercase hex digits.
enum KeyHashText {
    static func hex(_ keyHash: UInt32) -> String {
        let digits = String(keyHash, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
