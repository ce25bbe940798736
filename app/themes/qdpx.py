"""The coded texts as a REFI-QDA project (.qdpx: a zip holding ``project.qde``, the Project
Exchange standard of the Rotterdam Exchange Format Initiative), so NVivo, ATLAS.ti, MAXQDA or
QualCoder open the texts with their codings, and the codebook's themes as codes.

Who coded what is kept as REFI-QDA users: the codebook tagger, the tagger learned from review
(its codings say "learned from review" and its probability in their Description, so a QDA
program shows them apart and no one takes them for a person's), and each reviewer. A tagger's
coding covers the words it matched (the stored span) where there is one, else the whole text;
people's and learned codings cover the whole text. Rejected tags are not codings and are left out.
"""
from __future__ import annotations

import io
import uuid
import xml.etree.ElementTree as ET
import zipfile

import sqlalchemy as sa

from app.core.extensions import db
from app.models import ThemeTag
from app.themes.formats import GUID_NAMESPACE, QDC_ORIGIN, add_codes
from app.themes.queries import ACCEPTED, AUTO, LEARNED, Scope, item_key

#: The REFI-QDA project namespace (Project.xsd, version 1.0).
QDE_NAMESPACE = "urn:QDA-XML:project:1.0"
#: Most texts one export holds: a project larger than this is for narrower filters (a QDA
#: program opens it slowly, and the page builds it in memory).
MAX_TEXTS = 20_000


class TooManyTexts(ValueError):
    """The filters select more than MAX_TEXTS coded texts."""


def _guid(*parts) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, "/".join(str(p) for p in parts)))


def coded_texts(scope: Scope) -> list[dict]:
    """The texts of `scope` with at least one accepted tag: ``{"key", "text", "lang", "codings":
    [{"theme", "coder", "score", "start", "end"}]}``, in item order."""
    texts = []
    for source in scope.sources:
        tagged = sa.select(source.tag_fk).where(source.tag_fk.is_not(None), ThemeTag.status == ACCEPTED)
        rows = db.session.execute(scope.select(source, source.item, source.text, source.lang)
                                  .where(source.item.in_(tagged)).order_by(source.item).limit(MAX_TEXTS + 1)).all()
        if len(texts) + len(rows) > MAX_TEXTS:
            raise TooManyTexts(MAX_TEXTS)
        by_id = {item: {"key": item_key(source, item), "text": text, "lang": lang, "codings": []}
                 for item, text, lang in rows}
        for chunk in range(0, len(rows), 5000):
            ids = [r[0] for r in rows[chunk:chunk + 5000]]
            for item, theme, coder, score, start, end in db.session.execute(
                    sa.select(source.tag_fk, ThemeTag.theme, ThemeTag.coder, ThemeTag.score, ThemeTag.span_start,
                              ThemeTag.span_end)
                    .where(source.tag_fk.in_(ids), ThemeTag.status == ACCEPTED)
                    .order_by(source.tag_fk, ThemeTag.coder, ThemeTag.theme)):
                by_id[item]["codings"].append({"theme": theme, "coder": coder, "score": score, "start": start,
                                               "end": end})
        texts.extend(by_id[item] for item, _text, _lang in rows)
    return texts


def project_qdpx(codebook, texts: list[dict], lang: str, *, user_names: dict[str, str], learned_note) -> bytes:
    """The .qdpx bytes. `user_names` names each coder (``auto``, ``learned``, ``user:<id>``);
    `learned_note(probability)` writes the Description of a learned coding (translated by the route)."""
    ns = QDE_NAMESPACE
    ET.register_namespace("", ns)
    coders = sorted({c["coder"] for t in texts for c in t["codings"]} | {AUTO})
    root = ET.Element(f"{{{ns}}}Project", {"name": "Common Ground", "origin": QDC_ORIGIN,
                                            "creatingUserGUID": _guid("coder", AUTO)})
    users = ET.SubElement(root, f"{{{ns}}}Users")
    for coder in coders:
        ET.SubElement(users, f"{{{ns}}}User", {"guid": _guid("coder", coder), "name": user_names.get(coder, coder)})
    codes = ET.SubElement(ET.SubElement(root, f"{{{ns}}}CodeBook"), f"{{{ns}}}Codes")
    add_codes(codes, codebook, lang, ns)
    sources = ET.SubElement(root, f"{{{ns}}}Sources")
    from app.themes.formats import theme_guid
    for text in texts:
        source = ET.SubElement(sources, f"{{{ns}}}TextSource", {"guid": _guid("text", text["key"]), "name": text["key"]})
        ET.SubElement(source, f"{{{ns}}}PlainTextContent").text = text["text"]
        length = len(text["text"])
        for number, coding in enumerate(text["codings"]):
            if coding["theme"] not in codebook:
                continue
            start, end = coding["start"], coding["end"]
            if coding["coder"] != AUTO or start is None or end is None or not 0 <= start < end <= length:
                start, end = 0, length
            creator = _guid("coder", coding["coder"])
            selection = ET.SubElement(source, f"{{{ns}}}PlainTextSelection", {
                "guid": _guid("selection", text["key"], number), "startPosition": str(start),
                "endPosition": str(end), "creatingUser": creator})
            if coding["coder"] == LEARNED:
                ET.SubElement(selection, f"{{{ns}}}Description").text = learned_note(coding["score"] or 0.0)
            code = ET.SubElement(selection, f"{{{ns}}}Coding", {"guid": _guid("coding", text["key"], number),
                                                                 "creatingUser": creator})
            ET.SubElement(code, f"{{{ns}}}CodeRef", {"targetGUID": theme_guid(coding["theme"])})
    ET.indent(root)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", ET.tostring(root, encoding="utf-8", xml_declaration=True))
    return out.getvalue()
