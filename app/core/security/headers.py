"""Security headers on every answer: a content security policy, no framing, no referrer leak
to other sites, no content sniffing, and HSTS when the site is served over HTTPS.

Resident pages carry no script at all; staff pages load scripts from /static, and the two small
inline scripts of the reports carry the per-request nonce (`csp_nonce()` in templates).
"""
from __future__ import annotations

import secrets

from flask import current_app, g

#: One year, the value HSTS preload lists ask for.
HSTS_MAX_AGE = 365 * 24 * 3600


def csp_nonce() -> str:
    """This request's script nonce, made on first use."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def content_security_policy(nonce: str | None) -> str:
    scripts = "'self'" + (f" 'nonce-{nonce}'" if nonce else "")
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        # Pages inline their stylesheet (the first round trip) and charts set style attributes.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(g.get("csp_nonce")))
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", f"max-age={HSTS_MAX_AGE}; includeSubDomains")
    return response


def init_app(app) -> None:
    app.after_request(add_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
