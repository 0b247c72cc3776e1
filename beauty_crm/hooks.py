def pre_init_hook(env):
    """The exclusion constraints on bookings need btree_gist (a trusted
    extension since PostgreSQL 13: the database owner may create it)."""
    env.cr.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
