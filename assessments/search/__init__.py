"""Full-text search over everything a user may see, on the database's own engine (PostgreSQL FTS or SQLite FTS5).

`services.search_index_update` keeps the index current (the write path calls it), `selectors` answer queries
with the visibility rules, `backends` hide which engine is behind them.
"""
