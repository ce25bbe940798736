"""Error pages and JSON errors: every failure gets a clear answer, never a bare 500 trace."""
from flask import jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException


def wants_json() -> bool:
    return request.path.startswith("/api/")


def init_app(app):
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        messages = {
            400: _("The request could not be read."),
            404: _("We could not find that page."),
            405: _("That action is not allowed here."),
            413: _("That is more than we can accept in one go."),
        }
        message = messages.get(exc.code, exc.description)
        if wants_json():
            return jsonify(error=exc.name.lower().replace(" ", "_"), message=message), exc.code
        return render_template("error.html", code=exc.code, message=message), exc.code

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        message = _("Something went wrong on our side. Your answers so far are saved; please try again.")
        if wants_json():
            return jsonify(error="internal_error", message=message), 500
        return render_template("error.html", code=500, message=message), 500
