"""The codebook as files: YAML (the project's own format, read back by import) and a REFI-QDA
codebook (.qdc, the Codebook Exchange standard of the Rotterdam Exchange Format Initiative), so
coding can go on in NVivo, ATLAS.ti, MAXQDA or QualCoder.
"""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

import yaml

#: The REFI-QDA codebook namespace (Codebook.xsd, version 1.0).
QDC_NAMESPACE = "urn:QDA-XML:codebook:1.0"
#: What the exported codebook says it came from.
QDC_ORIGIN = "Common Ground"
#: Namespace for the codes' GUIDs: uuid5(namespace, theme key), so the same theme keeps the same
#: GUID in every export and a re-import into the QDA program updates instead of duplicating.
GUID_NAMESPACE = uuid.UUID("5b0f3c1e-8d2a-4f57-9a0e-3c6d2b7e9f41")
#: The name written into exported YAML (the database keeps no codebook name).
EXPORT_NAME = "common-ground-codebook"


def theme_guid(key: str) -> str:
    """The deterministic GUID of a theme."""
    return str(uuid.uuid5(GUID_NAMESPACE, key))


def codebook_yaml(codebook) -> str:
    """The codebook as YAML in the shape ``Codebook.from_yaml`` reads (so export → import is a no-op)."""
    data = {"name": EXPORT_NAME, **codebook.to_dict()}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _keywords_line(lang: str, words: str) -> str:
    return f"Keywords ({lang}): {words}"


def _description(theme, keywords_line) -> str:
    lines = [theme.description] if theme.description else []
    for lang, words in theme.keywords.items():
        lines.append(keywords_line(lang, ", ".join(words)))
    return "\n".join(lines)


def add_codes(parent, codebook, lang: str, namespace: str, keywords_line=_keywords_line) -> None:
    """Append the codebook's themes to `parent` (a ``<Codes>`` element) as REFI-QDA ``<Code>``s in
    `namespace`: sub-themes nested inside their parent's Code, names in `lang`, each Description
    holding the theme's description and its keywords per language."""
    def code(element_parent, theme):
        element = ET.SubElement(element_parent, f"{{{namespace}}}Code", {
            "guid": theme_guid(theme.key), "name": codebook.label(theme.key, lang), "isCodable": "true"})
        description = _description(theme, keywords_line)
        if description:  # the schema puts Description before nested Codes
            ET.SubElement(element, f"{{{namespace}}}Description").text = description
        return element

    for theme in codebook.themes:
        if theme.parent is None:
            element = code(parent, theme)
            for child in codebook.children(theme.key):
                code(element, codebook.theme(child))


def codebook_qdc(codebook, lang: str, *, keywords_line=_keywords_line) -> bytes:
    """The codebook as a REFI-QDA codebook: ``<CodeBook><Codes><Code …>`` with sub-themes nested
    inside their parent's Code, names in `lang` (falling back to the codebook's language), and
    each Description holding the theme's description and its keywords per language
    (`keywords_line(lang, words)` writes one such line, so the route can translate it)."""
    ET.register_namespace("", QDC_NAMESPACE)
    root = ET.Element(f"{{{QDC_NAMESPACE}}}CodeBook", {"origin": QDC_ORIGIN})
    codes = ET.SubElement(root, f"{{{QDC_NAMESPACE}}}Codes")
    add_codes(codes, codebook, lang, QDC_NAMESPACE, keywords_line)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
