"""Error pages and JSON errors: every failure gets a clear answer, never a bare 500 trace."""
from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def same_site_referrer() -> str | None:
    """The page the refused form came from, when it is one of ours (never an outside address)."""
    referrer = request.referrer
    return referrer if referrer and referrer.startswith(request.host_url) else None


def init_app(app):
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        messages = {
            400: _("The request could not be read."),
            401: _("Please sign in to see this page."),
            403: _("Your account does not give access to this page. If you need it, ask an administrator."),
            404: _("We could not find that page."),
            405: _("That action is not allowed here."),
            413: _("That is more than we can accept in one go."),
            429: _("Too many requests in a short time. Wait a little and try again."),
            503: _("The service is busy or down for a moment. Please try again in a minute."),
        }
        # Our own refusals (app.core.security.safe_input) carry a message that says what to change.
        message = str(exc.description) if getattr(exc, "clear_message", False) else messages.get(exc.code, exc.description)
        # A 429 or 503 says when to come back.
        headers = {"Retry-After": str(exc.retry_after)} if getattr(exc, "retry_after", None) else {}
        if wants_json():
            fields = {"errors": exc.errors} if getattr(exc, "errors", None) is not None else {}
            return jsonify(error=exc.name.lower().replace(" ", "_"), message=message, **fields), exc.code, headers
        return render_template("error.html", code=exc.code, message=message), exc.code, headers

    @app.errorhandler(CSRFError)
    def form_not_checked(exc: CSRFError):
        # Usually a form drawn before the person signed out or in again (in another tab, say).
        message = _("This form could not be checked, so nothing was saved or changed. Reload the page, "
                    "sign in again if asked, and send it once more.")
        app.logger.info("form refused on %s %s: %s", request.method, request.path, exc.description)
        if wants_json():
            return jsonify(error="form_expired", message=message), 400
        return render_template("error.html", code=400, message=message, back=same_site_referrer()), 400

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        message = _("Something went wrong on our side, and what you just sent may not have been saved. Please try again.")
        if wants_json():
            return jsonify(error="internal_error", message=message), 500
        return render_template("error.html", code=500, message=message), 500
