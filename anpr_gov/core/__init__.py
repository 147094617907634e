"""Framework-free plumbing: settings, clock, database engine and unit of work."""
