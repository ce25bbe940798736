"""A small stand-in for ODK Collect: what it asks an OpenRosa server, in the order it asks.

It reads the form list, downloads an XForm, fills the XForm's own primary instance (so a
test sends exactly the elements the form has, nested in its groups), and sends the instance
as Collect does: HEAD …/submission, then a multipart POST with `xml_submission_file`.
"""
from __future__ import annotations

import copy
import io
import uuid
import xml.etree.ElementTree as ET

XF = "{http://www.w3.org/2002/xforms}"
OR_HEADERS = {"X-OpenRosa-Version": "1.0", "Date": "Mon, 07 Dec 2026 12:00:00 GMT"}


def _strip(element: ET.Element) -> ET.Element:
    """Drop namespaces, as Collect's serialised instances carry none on their elements."""
    for node in element.iter():
        node.tag = node.tag.rsplit("}", 1)[-1]
    return element


class Collect:
    def __init__(self, client, server_url: str):
        self.client = client
        self.base = server_url.split("://", 1)[-1].split("/", 1)[1]  # the path, for the test client
        self.base = "/" + self.base

    def form_list(self):
        return self.client.get(f"{self.base}/formList", headers=OR_HEADERS)

    def forms(self) -> dict[str, dict]:
        root = ET.fromstring(self.form_list().data)
        ns = "{http://openrosa.org/xforms/xformsList}"
        return {x.findtext(f"{ns}formID"): {child.tag.replace(ns, ""): child.text for child in x}
                for x in root.iter(f"{ns}xform")}

    def download(self, form_id: str) -> bytes:
        url = self.forms()[form_id]["downloadUrl"]
        response = self.client.get("/" + url.split("://", 1)[-1].split("/", 1)[1], headers=OR_HEADERS)
        assert response.status_code == 200, response.data
        return response.data

    @staticmethod
    def fill(xform: bytes, answers: dict, instance_id: str | None = None) -> bytes:
        """The form's primary instance with `answers` in it: lists space-separated, booleans yes/no."""
        model = ET.fromstring(xform).find(f".//{XF}model")
        primary = next(i for i in model.findall(f"{XF}instance") if "id" not in i.attrib)
        root = _strip(copy.deepcopy(list(primary)[0]))
        for key, value in answers.items():
            node = next(n for n in root.iter() if n.tag == key)
            if isinstance(value, bool):
                value = "yes" if value else "no"
            node.text = " ".join(value) if isinstance(value, list) else str(value)
        root.find("meta/instanceID").text = instance_id or f"uuid:{uuid.uuid4()}"
        return ET.tostring(root, encoding="utf-8", xml_declaration=True)

    def probe(self):
        return self.client.head(f"{self.base}/submission", headers=OR_HEADERS)

    def post(self, instance: bytes, field: str = "xml_submission_file"):
        data = {field: (io.BytesIO(instance), "instance.xml", "text/xml")}
        return self.client.post(f"{self.base}/submission", data=data, headers=OR_HEADERS,
                                content_type="multipart/form-data")

    def send(self, instance: bytes):
        """HEAD, then POST, as Collect sends one finalised form."""
        probe = self.probe()
        assert probe.status_code == 204, probe.data
        return self.post(instance)
