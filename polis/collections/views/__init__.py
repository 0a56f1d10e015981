"""Pages of collections, gifts, tag sets and challenges (one module per concept)."""
