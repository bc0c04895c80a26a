/// What one run of `FleetPusher.pushUntilCurrent` did, for the operator's log line.
public struct FleetPushSummary: Sendable, Equatable {
    /// A witness cosignature this ledger holds.
    public struct Cosigned: Sendable, Equatable {
        public let size: Int
        /// POSIX seconds at which the witness cosigned.
        public let timestamp: UInt64
    }

    /// The central answered a size below one it had already cosigned: it lost entries
    /// (restored from a backup?) and was pushed them again. Worth telling its operators.
    public struct Rewind: Sendable, Equatable {
        public let acknowledged: Int
        public let held: Int
    }

    /// The central's size this ledger remembered when the run started (its newest cosignature).
    public let rememberedSize: Int
    /// Where the central stands now, as far as this run learned.
    public var centralSize: Int
    /// Pushes the central stored and cosigned.
    public var pushes = 0
    /// 409 answers, each followed by pushing again from the central's size.
    public var conflicts = 0
    public var entriesPushed = 0
    /// The newest checkpoint the witness cosigned (in this run or earlier).
    public var cosigned: Cosigned?
    public var centralRewound: Rewind?
    /// Entries after the newest signed checkpoint: they go with the next push after the log
    /// key signs a checkpoint covering them (`auditctl checkpoint`, or the next append).
    public var uncheckpointedEntries = 0

    public init(rememberedSize: Int, centralSize: Int) {
        self.rememberedSize = rememberedSize
        self.centralSize = centralSize
    }
}
