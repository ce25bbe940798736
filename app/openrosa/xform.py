"""The XForm ODK Collect and Enketo download for a survey version, made by pyxform from our rows.

The XForm is made from the same XLSForm rows as the XLSForm export (app/xlsform/rows.py), so
pyxform, the reference implementation, decides what the XForm says. Made once per form
version (the rows' digest is in it) and kept in memory: a form list of a busy project costs
one query per survey, not a conversion.
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from app.models import SurveyVersion
from app.xlsform.version_rows import version_rows

#: The root element of every instance (pyxform's default, and what ODK Central's examples use).
INSTANCE_ROOT = "data"
#: How many XForms are kept; each is tens of kilobytes.
CACHE_SIZE = 64


@dataclass(frozen=True)
class XForm:
    form_id: str
    version: str
    title: str
    xml: bytes

    @property
    def md5(self) -> str:
        """The hash a form list carries: ODK Collect compares it to know a form changed."""
        return hashlib.md5(self.xml).hexdigest()  # noqa: S324 - the OpenRosa form list asks for md5


_cache: dict[str, XForm] = {}
_lock = threading.Lock()


def xform_for(version: SurveyVersion) -> XForm:
    """The XForm of `version` as it stands now (translations and the registry included)."""
    rows = version_rows(version)
    settings = rows["settings"][0]
    key = f"{settings['form_id']}@{settings['version']}"
    found = _cache.get(key)
    if found is None:
        from pyxform.xls2xform import convert  # pyxform and openpyxl: only when a form is made
        xml = convert(rows, form_name=INSTANCE_ROOT, warnings=[]).xform.encode("utf-8")
        found = XForm(settings["form_id"], settings["version"], settings["form_title"], xml)
        with _lock:
            if len(_cache) >= CACHE_SIZE:
                _cache.clear()
            _cache[key] = found
    return found
