"""Accounts: sign-in with Flask-Login, argon2 passwords, API tokens, and the access matrix."""
