"""Layer 1: read, type and validate the curated data files (filled in by the redesign)."""
