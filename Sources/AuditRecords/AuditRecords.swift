// People, keys, changes and e-signatures derived from the ledger (issue 3).
