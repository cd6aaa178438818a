"""Files on disk: find and read the ledger, parse case files, cache, append safely, git."""
