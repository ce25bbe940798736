"""Hardening that applies to every request: input that cannot be stored is refused before any
view runs, ids in URLs are bounded, and every answer carries the security headers."""
