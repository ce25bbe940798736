"""Sign-in limits: per account and per client address, counted apart, in a store every process shares.

- Per client address (Flask-Limiter on the sign-in POST): SIGNIN_ADDRESS_LIMIT attempts per
  window, whatever the account. The address is the client's own: behind TRUSTED_PROXIES reverse
  proxies, ProxyFix reads it from X-Forwarded-For; with none, that header is ignored (anyone
  could write it). One address guessing no longer locks out people at other addresses.
- Per account: each attempt is counted *before* the password is checked, in one atomic
  increment, so concurrent guesses get no more checks than SIGNIN_ACCOUNT_LIMIT. A successful
  sign-in clears the count.
- A correct password for an account that someone else's guesses have locked: refused, unless the
  browser carries a device cookie from an earlier successful sign-in to that account (OWASP's
  "device cookie" defence). That browser has a limit of its own, so the cookie is no way around
  the limit, and guessing from new places cannot lock the owner out of their usual browser.

Counts live in Redis when REDIS_URL is set, else in the database (app.core.counter_store): both hold
across processes and machines.
"""
from __future__ import annotations

import hashlib
import logging
import secrets

from flask import after_this_request, current_app, render_template, request
from flask_babel import gettext as _
from flask_limiter import Limiter, RateLimitExceeded
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import parse
from werkzeug.middleware.proxy_fix import ProxyFix

from app.accounts.forms import LoginForm
from app.core.counter_store import SCHEME

log = logging.getLogger(__name__)
DEVICE_COOKIE = "cg_signin_device"
#: A device cookie is kept a year; signing in again renews it.
DEVICE_MAX_AGE = 365 * 24 * 3600


def client_address() -> str:
    return request.remote_addr or "unknown"


def _prefix() -> str:
    return current_app.config["COUNTER_KEY_PREFIX"]


def _address_key() -> str:
    return f"{_prefix()}/address/{client_address()}"


#: One per process (an app factory's apps share it); keys carry the app's COUNTER_KEY_PREFIX.
limiter = Limiter(key_func=_address_key, strategy="fixed-window", headers_enabled=False)


def init_app(app) -> None:
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or f"{SCHEME}://")
    if app.config.get("REDIS_URL"):
        # A Redis that is away gives a quick 503 (app.outage), as the database does: sign-in waits
        # rather than go unlimited.
        seconds = max(1, round(float(app.config["DATABASE_CONNECT_TIMEOUT"])))
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": seconds,
                                                            "socket_timeout": seconds})
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, too_many_attempts)


def per_address(view):
    """The sign-in view's limit per client address (POSTs only: showing the form is free)."""
    return limiter.limit(lambda: current_app.config["SIGNIN_ADDRESS_LIMIT"], methods=["POST"])(view)


def _account_limit():
    return parse(current_app.config["SIGNIN_ACCOUNT_LIMIT"])


def may_check_password(email: str) -> bool:
    """Count this attempt against the account (and the browser's device cookie, when the account
    is already over its limit); True when the password may be checked."""
    strategy, item = limiter.limiter, _account_limit()
    # Keyed by a digest: any email fits the key, and the counters name no one.
    if strategy.hit(item, _prefix(), "account", account_digest(email)):
        return True
    device = _device_for(email)
    return bool(device) and strategy.hit(item, _prefix(), "device", device)


def succeeded(email: str) -> None:
    """A correct password: forget this account's failures and remember this browser."""
    strategy, item = limiter.limiter, _account_limit()
    strategy.clear(item, _prefix(), "account", account_digest(email))
    device = _device_for(email)
    if device:
        strategy.clear(item, _prefix(), "device", device)
    token = _serializer().dumps({"a": account_digest(email), "n": device or secrets.token_hex(16)})

    @after_this_request
    def _remember_device(response):
        response.set_cookie(DEVICE_COOKIE, token, max_age=DEVICE_MAX_AGE, httponly=True, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"], path="/login")
        return response


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="signin-device")


def account_digest(email: str) -> str:
    # The cookie names the account by a digest: a shared computer does not show who signed in.
    return hashlib.sha256(email.encode()).hexdigest()[:32]


def _device_for(email: str) -> str | None:
    """The device id of this browser's cookie if it was given by a sign-in to `email`."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw or len(raw) > 500:
        return None
    try:
        data = _serializer().loads(raw, max_age=DEVICE_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") != account_digest(email):
        return None
    return str(data.get("n") or "")[:64] or None


def too_many_attempts(exc: RateLimitExceeded):
    """429 with Retry-After, on the sign-in page itself so the person sees where they are."""
    message = _("Too many failed attempts. Wait 15 minutes and try again.")
    log.warning("sign-in refused for %s: %s", client_address(), exc.description)
    headers = {"Retry-After": str(int(parse(current_app.config["SIGNIN_ADDRESS_LIMIT"]).get_expiry()))}
    if request.endpoint == "auth.login":
        return render_template("auth/login.html", form=LoginForm(), error=message), 429, headers
    return render_template("error.html", code=429, message=message), 429, headers
