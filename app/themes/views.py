"""Themes: the report, the review queue and the codebook (endpoints themes.themes*, and
themes.codebook.* for the codebook's edit pages, which only admins may use).

Reads never write: new texts are tagged by a background task (app.tasks) started when they are
stored or when the codebook changes; a read counts what is still waiting and says so, and
"Tag the waiting texts now" starts a task by hand. Route → filters → SQL aggregates → analysis →
page, CSV/XLSX, or JSON through /api/v1/reports/themes.
"""
from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.core import audit
from app.core.extensions import db
from app.reporting.context import build_context, context_table, filter_rows, people_extent
from app.reporting.exporting import download
from app.reporting.filters import ReportFilters, parse_filters
from app.reporting.labels import dimension_name
from app.reporting.requests import EXPORT_FORMATS, suppression_threshold
from app.reporting.sample import selected_surveys
from app.themes import codebook as codebooks
from app.themes import forms, learning, review
from app.themes.formats import codebook_qdc, codebook_yaml
from app.themes.jobs import start_tag_texts
from app.themes.queries import Scope, available_dimensions
from app.themes.report import build_report, choose_dimension
from app.themes.tables import report_tables
from app.themes.tagging import pending_count

#: The codebook's edit pages: a blueprint of their own so the access matrix can say "admins only"
#: (ACCESS["themes.codebook"]) while equity leads read the codebook on the reports blueprint.
#: Fields of the filter form the review queue keeps from page to page.
REVIEW_FILTERS = ("survey", "channel", "from", "to", "respondent_lang")


def themes_report(filters: ReportFilters, dimension_arg: str | None):
    """(report or None, dimensions on offer, has a codebook); errors go into `filters.errors`."""
    codebook, tag_hash = codebooks.current_codebook()
    if codebook is None or filters.errors:
        return None, [], codebook is not None
    pending = pending_count(tag_hash)  # tagged in the background (app.tasks); a read only counts them
    scope = Scope(filters)
    dimensions = available_dimensions(scope)
    dimension, error = choose_dimension(dimension_arg, dimensions)
    if error:
        filters.errors["dimension"] = error
        return None, dimensions, True
    report = build_report(scope, codebook, tag_hash, k=suppression_threshold(filters), lang=str(get_locale()),
                          dimension=dimension, pending=pending)
    extra = [(_("Groups by"), dimension_name(dimension))] if dimension else []
    report["context"] = build_context(filter_rows(filters, str(get_locale()), extra=extra), n=report["n"],
                                      unit=_("texts"), extent=people_extent(filters),
                                      methods=[report["methods"]["count"], report["methods"]["channels"]])
    return report, dimensions, True


def themes():
    filters = parse_filters(request.args)
    report, dimensions, has_codebook = themes_report(filters, request.args.get("dimension"))
    fmt = request.args.get("format")
    if fmt in EXPORT_FORMATS and report:
        audit.record("export", "report:themes", format=fmt, filters=filters.describe())
        return download([context_table(report["context"], _("What people are telling us"))] + report_tables(report),
                        fmt, "themes")
    args = {**filters.to_args(), **({"dimension": report["groups"]["dimension"]} if report and report["groups"] else {})}
    return render_template("reports/themes.html", report=report, filters=filters, dimensions=dimensions, args=args,
                           dimension_names={d: dimension_name(d) for d in dimensions},
                           has_codebook=has_codebook, surveys=selected_surveys(ReportFilters()),
                           title=_("What people are telling us"))


def themes_tag():
    """Start tagging the waiting texts now (e.g. after an upgrade, or when a task could not start)."""
    try:
        run = start_tag_texts(user_id=current_user.id, kick=True)
    except Exception:  # Redis away
        db.session.rollback()
        current_app.logger.exception("could not start tagging")
        flash(_("Tagging could not be started because the task queue is not answering. Try again in a minute."),
              "error")
        return redirect(url_for("themes.themes"), 303)
    if run is None:
        return redirect(url_for("themes.themes"), 303)
    return redirect(url_for("tasks.status", task_id=run.id), 303)


def review_order(args) -> str:
    """The queue's order from ``?order=``: as received (default), or most uncertain first."""
    return review.UNCERTAIN if args.get("order") == review.UNCERTAIN else review.RECEIVED


def themes_review():
    filters = parse_filters(request.args)
    codebook, tag_hash = codebooks.current_codebook()
    order = review_order(request.args)
    item = remaining = None
    if codebook is not None and not filters.errors:
        coder = review.coder_for(current_user)
        scope = Scope(filters)
        wanted = request.args.get("item")
        after = request.args.get("after")
        following = review.next_uncertain if order == review.UNCERTAIN else review.next_item
        item = review.find_item(wanted or following(scope, coder, after), coder, str(get_locale()))
        if wanted and item is None:
            flash(_("That text is not available any more: its author may have withdrawn."), "error")
        remaining = review.remaining(scope, coder)
    return _review_page(codebook, filters, item, remaining, order=order, tag_hash=tag_hash)


def _review_page(codebook, filters, item, remaining, errors=None, ticked=None, status=200, *, order=review.RECEIVED,
                 tag_hash=None):
    from app.themes.learning import current_models
    lang = str(get_locale())
    return render_template("reports/themes_review.html", codebook=codebook, filters=filters, item=item,
                           remaining=remaining, errors=errors or {}, ticked=item.ticked if ticked is None and item else ticked,
                           surveys=selected_surveys(ReportFilters()), lang=lang, how_labels=review.how_labels(),
                           theme_names=lambda keys: ", ".join(codebook.label(k, lang) if k in codebook else k for k in keys),
                           order=order, models=current_models(tag_hash) if tag_hash else [],
                           title=_("Review themes")), status


def themes_review_save():
    filters = parse_filters(request.form)
    keep = {k: v for k, v in filters.to_args().items() if k in REVIEW_FILTERS}
    order = review_order(request.form)
    if order == review.UNCERTAIN:
        keep["order"] = order
    codebook, tag_hash = codebooks.current_codebook()
    coder = review.coder_for(current_user)
    item = review.find_item(request.form.get("item"), coder, str(get_locale())) if codebook is not None else None
    if item is None:
        flash(_("That text is not available any more: its author may have withdrawn."), "error")
        return redirect(url_for("themes.themes_review", **keep), 303)
    if request.form.get("action") == "skip":
        return redirect(url_for("themes.themes_review", after=item.key, **keep), 303)
    ticked = set(request.form.getlist("theme"))
    unknown = sorted(t for t in ticked if t not in codebook)
    if unknown:
        errors = {"themes": _("These are not themes of the codebook: %(keys)s. Tick themes from the list.",
                              keys=", ".join(unknown))}
        return _review_page(codebook, filters, item, None, errors, ticked & set(codebook.keys), 422, order=order,
                            tag_hash=tag_hash)
    review.save_review(item, coder, ticked, codebook)
    learning.learn_after_commit(tag_hash)  # retrained in the background once enough reviews arrive
    db.session.commit()
    flash(_("Saved. Here is the next text."))
    return redirect(url_for("themes.themes_review", after=item.key, **keep), 303)


def themes_qdpx():
    """The coded texts of the filters as a REFI-QDA project, learned suggestions marked as such."""
    from app.themes.qdpx import TooManyTexts, coded_texts, project_qdpx
    filters = parse_filters(request.args)
    codebook, _hash = codebooks.current_codebook()
    if codebook is None or filters.errors:
        abort(404)
    try:
        texts = coded_texts(Scope(filters))
    except TooManyTexts as exc:
        flash(_("More than %(max)s coded texts match these filters: choose a survey, a channel or dates to "
                "export fewer.", max=f"{exc.args[0]:,}"), "error")
        return redirect(url_for("themes.themes", **filters.to_args()), 303)
    names = {"auto": _("Common Ground tagger (codebook)"), "learned": _("Common Ground tagger learned from review")}
    names.update({coder: _("Reviewer %(number)s", number=coder.split(":", 1)[1])
                  for t in texts for c in t["codings"] if (coder := c["coder"]).startswith("user:")})
    body = project_qdpx(codebook, texts, str(get_locale()), user_names=names, learned_note=lambda p: _(
        "Learned from review, not decided by a person: probability %(probability)s", probability=f"{p:.2f}"))
    audit.record("export", "report:themes", format="qdpx", filters=filters.describe())
    db.session.commit()
    return Response(body, headers={"Content-Type": "application/zip",
                                   "Content-Disposition": 'attachment; filename="themes.qdpx"'})


def themes_codebook():
    codebook, tag_hash = codebooks.current_codebook()
    return render_template("reports/themes_codebook.html", codebook=codebook, rows=codebooks.theme_rows(),
                           problems=codebooks.check(codebook, tag_hash) if codebook else [],
                           languages=forms.form_languages(codebooks.theme_rows()), title=_("Codebook of themes"))


def themes_codebook_export():
    codebook, _hash = codebooks.current_codebook()
    fmt = request.args.get("format", "yaml")
    if codebook is None or fmt not in ("yaml", "qdc"):
        abort(404)
    audit.record("export", "codebook", format=fmt)
    if fmt == "qdc":
        body = codebook_qdc(codebook, str(get_locale()), keywords_line=lambda lang, words: _(
            "Keywords (%(language)s): %(words)s", language=lang, words=words))
        return Response(body, headers={"Content-Type": "application/xml; charset=utf-8",
                                       "Content-Disposition": 'attachment; filename="codebook.qdc"'})
    return Response(codebook_yaml(codebook), headers={"Content-Type": "application/yaml; charset=utf-8",
                                                      "Content-Disposition": 'attachment; filename="codebook.yaml"'})


def _theme_page(row, new: bool):
    rows = codebooks.theme_rows()
    languages = forms.form_languages(rows)
    key = row.key if row else (request.form.get("key") or "").strip()
    parents = [(r.key, f"{(r.labels or {}).get(codebooks.DEFAULT_LANGUAGE) or r.key} ({r.key})")
               for r in rows if r.parent is None and r.key != key]
    counterparts = [(r.key, f"{(r.labels or {}).get(codebooks.DEFAULT_LANGUAGE) or r.key} ({r.key})")
                    for r in rows if r.key != key]
    data = None
    if row is not None and request.method == "GET":
        data = {"key": row.key, "parent": row.parent or "", "description": row.description or "",
                "negated": row.negated or ""}
        data.update({f"label_{lang}": label for lang, label in (row.labels or {}).items()})
        data.update({f"keywords_{lang}": "\n".join(words) for lang, words in (row.keywords or {}).items()})
        data.update({f"exclude_{lang}": "\n".join(words) for lang, words in (row.exclude or {}).items()})
    form = forms.theme_form(languages, parents, counterparts, data=data)
    if form.validate_on_submit():
        theme = forms.theme_from_form(form, languages, key, new=new, existing={r.key for r in rows},
                                      top_level={r.key for r in rows if r.parent is None},
                                      has_children=any(r.parent == key for r in rows))
        if theme is not None:
            from analysis.themes import CodebookError
            try:
                codebooks.save_theme(theme)
            except CodebookError as exc:
                db.session.rollback()
                form.form_errors.append(_("The codebook would not be valid, so nothing was saved: %(problem)s",
                                          problem=str(exc)))
            else:
                db.session.commit()
                flash(_("The theme %(key)s was saved. Texts are being tagged again with it in the background.",
                        key=key))
                return redirect(url_for("themes.themes_codebook", _anchor=f"theme-{key}"))
    status = 422 if request.method == "POST" else 200
    return render_template("reports/themes_theme_form.html", form=form, row=row, new=new, languages=languages,
                           language_names={lang: forms.display_language(lang) for lang in languages},
                           title=_("New theme") if new else _("Change the theme %(key)s", key=row.key)), status


def new_theme():
    return _theme_page(None, new=True)


def edit_theme(key: str):
    row = next((r for r in codebooks.theme_rows() if r.key == key), None) or abort(404)
    return _theme_page(row, new=False)


def delete_theme(key: str):
    row = next((r for r in codebooks.theme_rows() if r.key == key), None) or abort(404)
    form = forms.DeleteThemeForm()
    error = None
    if form.validate_on_submit():
        from analysis.themes import CodebookError
        try:
            codebooks.delete_theme(key)
        except codebooks.ThemeInUse as exc:
            error = _("This theme has sub-themes (%(keys)s): remove them or make them top-level themes first.",
                      keys=str(exc))
        except CodebookError:
            error = _("This is the last theme: a codebook needs at least one. Add another theme first.")
        else:
            db.session.commit()
            flash(_("The theme %(key)s was removed.", key=key))
            return redirect(url_for("themes.themes_codebook"))
        db.session.rollback()
    status = 422 if error else 200
    return render_template("reports/themes_theme_delete.html", form=form, row=row, error=error,
                           title=_("Remove the theme %(key)s", key=key)), status


def import_codebook():
    form = forms.ImportForm()
    if form.validate_on_submit():
        text = forms.import_text(form)
        if text is not None:
            from analysis.themes import Codebook, CodebookError
            try:
                # A trailing newline makes analysis read the string as YAML, never as a file path.
                codebook = Codebook.from_yaml(text + "\n")
            except CodebookError as exc:
                form.form_errors.append(_("The codebook was not imported, and nothing changed: %(problem)s",
                                          problem=str(exc)))
            else:
                summary = codebooks.replace_codebook(codebook, source=getattr(form.file.data, "filename", "") or "pasted")
                db.session.commit()
                flash(_("Codebook imported: %(created)s themes added, %(changed)s changed, %(removed)s removed.",
                        **summary))
                return redirect(url_for("themes.themes_codebook"))
    status = 422 if request.method == "POST" else 200
    return render_template("reports/themes_import.html", form=form, title=_("Import a codebook")), status
