"""The session journal: records, the SQLite store, statistics, exports and the report."""
