"""Every write of collections and challenges, one module per concept."""
