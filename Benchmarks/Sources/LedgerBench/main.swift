print("LedgerBench: not yet written")
