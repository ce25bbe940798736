"""Password hashing with Argon2id, memory-hard (argon2-cffi's RFC 9106 low-memory profile).

Under TESTING the app may ask for argon2-cffi's cheapest parameters (`ARGON2_CHEAP`), so a test
that makes an account does not spend half a second hashing; production parameters are what
every hash gets otherwise, and a test checks that they are the ones used.
"""
import functools

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

PRODUCTION = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)
_CHEAP = PasswordHasher.from_parameters(profiles.CHEAPEST)
#: Shortest password we accept; long passphrases beat complexity rules (NIST SP 800-63B §5.1.1).
MIN_PASSWORD_LENGTH = 10


@functools.cache
def _dummy_hash(active: PasswordHasher) -> str:
    """A hash to verify against when the email is unknown, so timing does not reveal which emails
    exist. Made on first use: a production hash takes about half a second, which every command
    would otherwise pay at start-up."""
    return active.hash("not a real password")


def hasher() -> PasswordHasher:
    """The hasher for new hashes: production parameters unless a test app asked for cheap ones."""
    if has_app_context() and current_app.config.get("TESTING") and current_app.config.get("ARGON2_CHEAP"):
        return _CHEAP
    return PRODUCTION


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    active = hasher()
    try:
        # The parameters travel in the hash, so any hasher verifies any hash.
        return active.verify(password_hash or _dummy_hash(active), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
