"""Admin pages for the stakeholder registry and its ties. URLs are listed in app/admin/views.py.

Forms collect what was posted; app.stakeholders.validation judges it (the same checks as the
CSV import and the API), and its messages are shown next to the fields.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.core import audit
from app.core.access import can
from app.core.extensions import db
from app.core.paging import paginate
from app.models import Relationship, Stakeholder, User
from app.models.stakeholders import SECTORS
from app.stakeholders.labels import PROVENANCE_LABELS, SECTOR_LABELS, TYPE_LABELS
from app.stakeholders.operations import (
    add_relationships, create_stakeholder, delete_relationship, delete_stakeholder, ties_of, update_stakeholder,
)
from app.stakeholders.validation import check_relationship, check_stakeholder


class StakeholderForm(FlaskForm):
    id = StringField(_l("Id"), description=_l(
        "The organisation's own key: letters, digits, '.', '-' or '_'. It cannot be changed later."))
    name = StringField(_l("Name"))
    sector = SelectField(_l("Sector"), validate_choice=False,
                         choices=[SelectChoice(v, label) for v, label in SECTOR_LABELS.items()])
    kind = StringField(_l("Kind"), description=_l(
        "What it is, for example food bank, tenants' union, city department."))
    neighbourhood = StringField(_l("Neighbourhood"))
    contact = TextAreaField(_l("Contact details"), description=_l("Shown to admins only."))


class DeleteStakeholderForm(FlaskForm):
    confirm = BooleanField(_l("Also delete the ties that name it"))


class RelationshipForm(FlaskForm):
    source = SelectField(_l("From"), validate_choice=False)
    type = SelectField(_l("Tie"), validate_choice=False,
                       choices=[SelectChoice(v, label) for v, label in TYPE_LABELS.items()])
    target = SelectField(_l("To"), validate_choice=False)
    weight = StringField(_l("Weight"), default="1", description=_l("A number above 0; 1 if you are not sure."))
    date = StringField(_l("Date"), description=_l("When it was reported or began, as YYYY-MM-DD. Optional."))


class DeleteForm(FlaskForm):
    """Just the CSRF token, for a delete button; CSRFProtect checks it on every POST."""


def _tie_counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    for column in (Relationship.source_id, Relationship.target_id):
        for stakeholder_id, n in db.session.execute(sa.select(column, sa.func.count()).group_by(column)):
            counts[stakeholder_id] = counts.get(stakeholder_id, 0) + n
    return counts


def stakeholders():
    """The registry, optionally one sector."""
    sector = request.args.get("sector", "")
    query = sa.select(Stakeholder).order_by(sa.func.lower(Stakeholder.name), Stakeholder.id)
    if sector in SECTORS:
        query = query.where(Stakeholder.sector == sector)
    rows = db.session.scalars(query).all()
    return render_template("admin/stakeholders.html", rows=rows, sector=sector, sectors=SECTOR_LABELS,
                           ties=_tie_counts())


def _checked(form: StakeholderForm, stakeholder: Stakeholder | None) -> dict | None:
    """The form's values checked like an imported row; errors go onto the fields."""
    raw = {name: form[name].data for name in ("name", "sector", "kind", "neighbourhood")}
    raw["id"] = stakeholder.id if stakeholder else form.id.data
    if can("see_contacts"):
        raw["contact"] = form.contact.data
    clean, errors = check_stakeholder(raw)
    if stakeholder is None and "id" in clean and db.session.get(Stakeholder, clean["id"]) is not None:
        errors["id"] = _("A stakeholder with the id '%(id)s' exists already.", id=clean["id"])
    for name, message in errors.items():
        form[name].errors = [message]
    return None if errors else clean


def stakeholder_new():
    form = StakeholderForm()
    if form.validate_on_submit():
        clean = _checked(form, None)
        if clean is not None:
            try:
                stakeholder = create_stakeholder(clean)
                audit.record("stakeholder_create", f"stakeholder:{stakeholder.id}")
                db.session.commit()
            except IntegrityError:  # the same id was added a moment ago by someone else
                db.session.rollback()
                form.id.errors = [_("A stakeholder with the id '%(id)s' exists already.", id=clean["id"])]
            else:
                flash(_("%(name)s was added to the registry.", name=clean["name"]))
                return redirect(url_for(".stakeholders"))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/stakeholder_form.html", form=form, stakeholder=None), status


def stakeholder_edit(stakeholder_id: str):
    stakeholder = db.get_or_404(Stakeholder, stakeholder_id)
    form = StakeholderForm(obj=stakeholder if request.method == "GET" else None)
    if form.validate_on_submit():
        clean = _checked(form, stakeholder)
        if clean is not None:
            changed = update_stakeholder(stakeholder, clean)
            if changed:  # the field names only: contact details stay out of the log
                audit.record("stakeholder_update", f"stakeholder:{stakeholder.id}", fields=changed)
            db.session.commit()
            flash(_("%(name)s was saved.", name=stakeholder.name))
            return redirect(url_for(".stakeholders"))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/stakeholder_form.html", form=form, stakeholder=stakeholder), status


def stakeholder_delete(stakeholder_id: str):
    """Confirm, then delete; refused while ties name it unless the box to delete them is ticked."""
    stakeholder = db.get_or_404(Stakeholder, stakeholder_id)
    form = DeleteStakeholderForm()
    ties = ties_of(stakeholder.id)
    accounts = db.session.scalar(sa.select(sa.func.count()).select_from(User)
                                 .where(User.stakeholder_id == stakeholder.id))
    status = 200
    if form.validate_on_submit():
        if ties and not form.confirm.data:
            form.confirm.errors = [ngettext(
                "%(num)d tie names this stakeholder. Tick the box to delete it too, or keep the stakeholder.",
                "%(num)d ties name this stakeholder. Tick the box to delete them too, or keep the stakeholder.",
                ties)]
            status = 409
        else:
            name = stakeholder.name
            removed = delete_stakeholder(stakeholder)
            audit.record("stakeholder_delete", f"stakeholder:{stakeholder_id}", name=name, ties=removed)
            db.session.commit()
            flash(_("%(name)s was deleted from the registry.", name=name))
            return redirect(url_for(".stakeholders"))
    return render_template("admin/stakeholder_delete.html", form=form, stakeholder=stakeholder,
                           ties=ties, accounts=accounts), status


def relationships():
    """Every tie, newest first, 50 to a page; optionally those of one stakeholder."""
    source, target = aliased(Stakeholder), aliased(Stakeholder)
    query = (sa.select(Relationship, source.name, target.name)
             .join(source, source.id == Relationship.source_id).join(target, target.id == Relationship.target_id)
             .order_by(Relationship.created_at.desc(), Relationship.id.desc()))
    of = db.session.get(Stakeholder, request.args.get("stakeholder", ""))
    if of is not None:
        query = query.where(sa.or_(Relationship.source_id == of.id, Relationship.target_id == of.id))
    page = paginate(query, request.args.get("page", 1, type=int))
    return render_template("admin/relationships.html", page=page, of=of, types=TYPE_LABELS,
                           provenances=PROVENANCE_LABELS, form=DeleteForm())


def relationship_new():
    """Add a tie by hand (provenance "manual"); the same tie again updates its weight."""
    form = RelationshipForm()
    choices = [SelectChoice(s.id, f"{s.name} ({s.id})") for s in
               db.session.scalars(sa.select(Stakeholder).order_by(sa.func.lower(Stakeholder.name), Stakeholder.id))]
    form.source.choices = form.target.choices = choices
    if form.validate_on_submit():
        raw = {name: form[name].data for name in ("source", "target", "type", "weight", "date")}
        clean, errors = check_relationship(raw, {choice.value for choice in choices})
        for name, message in errors.items():
            form[name].errors = [message]
        if not errors:
            applied = add_relationships([clean], "manual")
            audit.record("relationship_create", f"relationship:{applied.ids[0]}", source=clean["source_id"],
                         to=clean["target_id"], type=clean["type"], weight=clean["weight"])
            db.session.commit()
            flash(_("The tie was saved."))
            return redirect(url_for(".relationships"))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/relationship_form.html", form=form, has_stakeholders=bool(choices)), status


def relationship_delete(relationship_id: int):
    """Delete one tie (CSRFProtect has checked the form's token before we get here)."""
    relationship = db.get_or_404(Relationship, relationship_id)
    audit.record("relationship_delete", f"relationship:{relationship.id}", source=relationship.source_id,
                 to=relationship.target_id, type=relationship.type, provenance=relationship.provenance)
    delete_relationship(relationship)
    db.session.commit()
    flash(_("The tie was deleted."))
    return redirect(url_for(".relationships"))
