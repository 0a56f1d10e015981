"""Finding works: the filter parameters, the query, the database backends and indexing."""
