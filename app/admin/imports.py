"""Admin: import stakeholders, ties and population baselines from CSV in the browser.

Upload → preview → apply. The upload is read and checked by the command line's code; a file with
any problem is refused whole, with every problem by row, and only audited. A clean file is kept
(app/admin/uploads.py) and previewed: what each row would create, update or leave as it is. The
apply re-checks the stored bytes, refuses when the registry changed since the preview (the admin
applies what they saw), and applies once, however often it is posted.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge

from app.admin import uploads
from app.admin.import_kinds import KINDS, counts, digest
from app.core import audit
from app.core.access import acting_user
from app.core.extensions import csrf, db

#: Largest file an admin may upload, in bytes (a registry or a census table, not a database dump).
IMPORT_MAX_BYTES = 5 * 1024 * 1024
#: Room for the rest of the form around the file (a baseline's mapping file, the CSRF token).
FORM_ALLOWANCE = 256 * 1024
#: Longest mapping file for a census-style baseline table.
MAPPING_MAX_BYTES = 64 * 1024


def _kind(kind: str):
    return KINDS.get(kind) or abort(404)


def _max_bytes() -> int:
    return current_app.config.get("IMPORT_MAX_BYTES", IMPORT_MAX_BYTES)


def imports():
    """The three imports, each with its columns and an upload form."""
    return render_template("admin/imports.html", kinds=KINDS, max_mb=_max_bytes() // (1024 * 1024))


def _refuse(kind: str, errors: list[str], notes: list[str] = (), filename: str = "", status: int = 422,
            entered: dict | None = None):
    """The upload page again with every problem; the refusal is audited, nothing else changes."""
    db.session.rollback()
    audit.record("import_failed", KINDS[kind].noun, via="web", file=filename, problems=len(errors))
    db.session.commit()
    return render_template("admin/import_upload.html", kind=kind, spec=KINDS[kind], errors=errors, notes=notes,
                           filename=filename, entered=entered, max_mb=_max_bytes() // (1024 * 1024)), status


def _options(kind: str) -> tuple[dict, list[str]]:
    """A baseline's mapping file, default year and source, as the command line's options."""
    if kind != "baseline":
        return {}, []
    options, errors = {}, []
    mapping = request.files.get("mapping")
    if mapping and mapping.filename:
        data = mapping.read(MAPPING_MAX_BYTES + 1)
        try:
            if len(data) > MAPPING_MAX_BYTES:
                raise ValueError
            options["mapping"] = data.decode("utf-8-sig")
        except (UnicodeDecodeError, ValueError):
            errors.append(_("The mapping file must be a small YAML text file in UTF-8."))
    year = request.form.get("year", "").strip()
    if year and not (year.isascii() and year.isdigit() and len(year) == 4):
        errors.append(_("The year must be four digits, such as 2024."))
    options.update(year=int(year or 0), source=" ".join(request.form.get("source", "").split())[:300])
    return options, errors


@csrf.exempt
def import_upload(kind: str):
    """GET: the upload form. POST: read and check the file; refuse it whole, or keep it and preview."""
    spec = _kind(kind)
    max_mb = _max_bytes() // (1024 * 1024)
    if request.method == "GET":
        return render_template("admin/import_upload.html", kind=kind, spec=spec, max_mb=max_mb)
    # Files are larger than the app's usual request limit; the token is checked once the form is read.
    request.max_content_length = _max_bytes() + FORM_ALLOWANCE
    too_big = _("The file is larger than %(size)d MB: split it into smaller files and import each.", size=max_mb)
    if (request.content_length or 0) > request.max_content_length:
        return _refuse(kind, [too_big], status=413)  # said before reading a byte of it
    try:
        upload = request.files.get("file")
    except RequestEntityTooLarge:  # a body sent without its length
        return _refuse(kind, [too_big], status=413)
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()
    if upload is None or not upload.filename:
        return render_template("admin/import_upload.html", kind=kind, spec=spec, max_mb=max_mb,
                               errors=[_("Choose a CSV file to upload.")]), 422
    filename = upload.filename
    data = upload.read(_max_bytes() + 1)
    if len(data) > _max_bytes():
        return _refuse(kind, [too_big], filename=filename, status=413)
    options, errors = _options(kind)
    entered = {name: request.form.get(name, "") for name in ("year", "source")}
    if errors:
        return _refuse(kind, errors, filename=filename, entered=entered)
    checked = spec.check(data, options)
    if checked.errors:
        return _refuse(kind, checked.errors, checked.notes, filename, entered=entered)
    stored = uploads.save_upload(kind, filename, data, options, acting_user())
    db.session.commit()
    for note in checked.notes:
        flash(note)
    return redirect(url_for("admin.import_preview", kind=kind, token=stored.token), 303)


# Read before the view runs (app.core.security.safe_input), so the larger limit must be known then.
import_upload.max_body = lambda: _max_bytes() + FORM_ALLOWANCE


def import_preview(kind: str, token: str):
    """What the upload would change, with the button to apply it; once applied, what it did."""
    spec = _kind(kind)
    upload = uploads.find_upload(kind, token) or abort(404)
    if upload.applied_at is not None:
        return render_template("admin/import_preview.html", kind=kind, spec=spec, upload=upload,
                               result=upload.result or {})
    checked = spec.check(upload.data, upload.options)
    if checked.errors:  # the registry changed since the upload: a tie's stakeholder was deleted, say
        return render_template("admin/import_upload.html", kind=kind, spec=spec, errors=checked.errors,
                               filename=upload.filename, max_mb=_max_bytes() // (1024 * 1024)), 409
    changes = spec.changes(checked.records)
    return render_template("admin/import_preview.html", kind=kind, spec=spec, upload=upload,
                           lines=spec.lines(changes), counts=counts(changes), digest=digest(changes))


def import_apply(kind: str, token: str):
    """Apply the previewed upload, once; refused (nothing changed) when the preview is out of date."""
    spec = _kind(kind)
    upload = uploads.find_upload(kind, token) or abort(404)
    here = url_for("admin.import_preview", kind=kind, token=token)
    if not uploads.claim(upload):
        db.session.rollback()
        flash(_("This file has been applied already; it was not applied again."))
        return redirect(here, 303)
    checked = spec.check(upload.data, upload.options) if uploads.intact(upload) else None
    if checked is None or checked.errors:
        problems = len(checked.errors) if checked else 1
        db.session.rollback()
        audit.record("import_failed", spec.noun, via="web", file=upload.filename, problems=problems)
        db.session.commit()
        flash(_("Nothing was applied: the file no longer passes the checks. Its problems are listed below."), "error")
        return redirect(here, 303)
    changes = spec.changes(checked.records)
    if digest(changes) != request.form.get("preview"):
        db.session.rollback()
        flash(_("Nothing was applied: the figures changed since this preview was made. Check the preview "
                "below, then apply again."), "error")
        return redirect(here, 303)
    result = counts(changes)
    try:
        spec.apply(checked.records)
        uploads.finish(upload, result)
        audit.record("import", spec.noun, via="web", file=upload.filename, digest=upload.digest, **result)
        db.session.commit()
    except IntegrityError:  # the same stakeholder was added meanwhile (the command line, the API)
        db.session.rollback()
        flash(_("Nothing was applied: the registry changed while this file was being applied. Check the "
                "preview below, then apply again."), "error")
        return redirect(here, 303)
    flash(_("The file was applied."))
    return redirect(here, 303)
