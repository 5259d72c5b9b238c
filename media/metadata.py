"""What a photo file says about itself: credit, copyright, creator, caption, date taken, people shown.

Three places may hold it, and photo desks fill them unevenly: XMP (Unicode, captions tagged with a
language), IPTC IIM (the Photoshop block of a JPEG) and EXIF. XMP wins over IPTC, which wins over
EXIF. Pillow hands these over as ``bytes``, ``str`` (EXIF text decoded as Latin-1 even when the
camera wrote UTF-8), lists (repeated IPTC fields) or nested XML: everything is normalised here to
clean ``str``.

GPS coordinates, camera serial numbers and the like are never read into the database: the
original file keeps them (it stays private) and renditions are written without them.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from defusedxml import ElementTree
from django.conf import settings
from PIL import IptcImagePlugin

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "exif": "http://ns.adobe.com/exif/1.0/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "Iptc4xmpExt": "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# EXIF tags (IFD0 and the Exif sub-IFD)
EXIF_IFD = 0x8769
IMAGE_DESCRIPTION = 0x010E
ARTIST = 0x013B
COPYRIGHT = 0x8298
DATETIME = 0x0132
DATETIME_ORIGINAL = 0x9003
OFFSET_TIME_ORIGINAL = 0x9011

# IPTC IIM datasets (record 2)
IPTC_CODED_CHARSET = (1, 90)
IPTC_BYLINE = (2, 80)
IPTC_CREDIT = (2, 110)
IPTC_COPYRIGHT = (2, 116)
IPTC_CAPTION = (2, 120)
IPTC_DATE_CREATED = (2, 55)
IPTC_TIME_CREATED = (2, 60)


@dataclass
class PhotoMetadata:
    credit: str = ""
    copyright_notice: str = ""
    creator: str = ""
    captions: dict[str, str] = field(default_factory=dict)  # language code → caption
    taken_at: datetime | None = None
    people: list[str] = field(default_factory=list)  # names as written, left to right when the desk did so

    def is_empty(self) -> bool:
        return not (self.credit or self.copyright_notice or self.creator or self.captions or self.taken_at)


def text(value, *, utf8_in_latin1: bool = False) -> str:
    """Any metadata value as clean text: bytes decoded (UTF-8, else Latin-1), lists joined, NULs dropped."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(part for part in (text(v, utf8_in_latin1=utf8_in_latin1) for v in value) if part)
    if isinstance(value, dict):
        return text(value.get("x-default") or next(iter(value.values()), ""))
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            value = value.decode("latin-1")
    elif isinstance(value, str) and utf8_in_latin1:
        # Pillow decodes EXIF ASCII as Latin-1; cameras and tools write UTF-8 there.
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            value = value.encode("latin-1").decode("utf-8")
    else:
        value = str(value)
    return re.sub(r"\s+", " ", value.replace("\x00", "")).strip()


def _local(naive: datetime) -> datetime:
    return naive.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))


def parse_exif_datetime(value: str, offset: str = "") -> datetime | None:
    """'2024:01:25 11:02:03' (+ '+01:00') → aware datetime; local Luxembourg time when no offset is given."""
    value = text(value)
    try:
        naive = datetime.strptime(value[:19], "%Y:%m:%d %H:%M:%S")  # noqa: DTZ007 - made aware below
    except ValueError:
        return None
    offset = text(offset)
    if re.fullmatch(r"[+-]\d\d:\d\d", offset):
        return datetime.fromisoformat(naive.isoformat() + offset)
    return _local(naive)


def parse_iso_datetime(value: str) -> datetime | None:
    """XMP dates: '2024-01-25', '2024-01-25T11:02', '2024-01-25T11:02:03+01:00'."""
    value = text(value)
    if not value:
        return None
    try:
        if len(value) == 10:
            return _local(datetime.combine(date.fromisoformat(value), time(12, 0)))
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else _local(parsed)


def parse_iptc_datetime(day: str, clock: str) -> datetime | None:
    """IPTC '20240125' and '110203+0100'."""
    day, clock = text(day), text(clock)
    try:
        parsed_day = datetime.strptime(day, "%Y%m%d").date()  # noqa: DTZ007 - only the date is kept
    except ValueError:
        return None
    match = re.fullmatch(r"(\d\d)(\d\d)(\d\d)([+-]\d\d)?(\d\d)?", clock)
    if not match:
        return _local(datetime.combine(parsed_day, time(12, 0)))
    hour, minute, second, off_h, off_m = match.groups()
    naive = datetime.combine(parsed_day, time(int(hour) % 24, int(minute) % 60, int(second) % 60))
    if off_h:
        return datetime.fromisoformat(f"{naive.isoformat()}{off_h}:{off_m or '00'}")
    return _local(naive)


def _xmp_values(root, path: str) -> list[tuple[str, str]]:
    """(language, text) pairs of an XMP property, whether written as an attribute, a simple element,
    or an rdf:Seq / rdf:Bag / rdf:Alt list."""
    prefix, name = path.split(":")
    tag = f"{{{NS[prefix]}}}{name}"
    found = []
    for description in root.iter(f"{{{NS['rdf']}}}Description"):
        if tag in description.attrib:
            found.append(("", text(description.attrib[tag])))
        for element in description.findall(tag):
            items = element.findall("rdf:*/rdf:li", NS)
            if items:
                found.extend((item.get(XML_LANG, ""), text("".join(item.itertext()))) for item in items)
            else:
                found.append((element.get(XML_LANG, ""), text("".join(element.itertext()))))
    return [(lang, value) for lang, value in found if value]


def read_xmp(raw) -> dict:
    """The fields we use from an XMP packet (bytes or str); {} when it is absent or not well-formed XML."""
    if not raw:
        return {}
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    start, end = raw.find(b"<x:xmpmeta"), raw.rfind(b"</x:xmpmeta>")
    if start == -1:
        start, end = raw.find(b"<rdf:RDF"), raw.rfind(b"</rdf:RDF>") + len(b"</rdf:RDF>") - len(b"</x:xmpmeta>")
    if start == -1 or end == -1:
        return {}
    try:
        root = ElementTree.fromstring(raw[start : end + len(b"</x:xmpmeta>")])
    except Exception:  # noqa: BLE001 - any malformed or hostile XML (entities, DTDs) is ignored
        return {}

    def first(*paths):
        for path in paths:
            values = _xmp_values(root, path)
            if values:
                preferred = [v for lang, v in values if lang in ("", "x-default")]
                return (preferred or [values[0][1]])[0]
        return ""

    captions = {}
    for lang, value in _xmp_values(root, "dc:description"):
        captions.setdefault(lang.split("-")[0].lower() or "x-default", value)
    return {
        "credit": first("photoshop:Credit"),
        "creator": ", ".join(v for _lang, v in _xmp_values(root, "dc:creator")),
        "copyright_notice": first("dc:rights", "xmpRights:UsageTerms"),
        "captions": captions,
        "taken_at": parse_iso_datetime(first("photoshop:DateCreated", "exif:DateTimeOriginal", "xmp:CreateDate")),
        "people": [v for _lang, v in _xmp_values(root, "Iptc4xmpExt:PersonInImage")],
    }


def read_iptc(image) -> dict:
    try:
        info = IptcImagePlugin.getiptcinfo(image) or {}
    except Exception:  # noqa: BLE001 - a broken IPTC block is no reason to refuse a photo
        return {}
    charset = info.get(IPTC_CODED_CHARSET, b"")
    utf8 = isinstance(charset, bytes) and b"%G" in charset

    def get(key):
        value = info.get(key)
        if isinstance(value, list):
            return [v.decode("utf-8" if utf8 else "latin-1", "replace") if isinstance(v, bytes) else v for v in value]
        if isinstance(value, bytes) and not utf8:
            try:
                return value.decode("utf-8")
            except UnicodeDecodeError:
                return value.decode("latin-1")
        return value

    caption = text(get(IPTC_CAPTION))
    return {
        "credit": text(get(IPTC_CREDIT)),
        "creator": text(get(IPTC_BYLINE)),
        "copyright_notice": text(get(IPTC_COPYRIGHT)),
        "captions": {"x-default": caption} if caption else {},
        "taken_at": parse_iptc_datetime(get(IPTC_DATE_CREATED), get(IPTC_TIME_CREATED)),
        "people": [],
    }


def read_exif(image) -> dict:
    try:
        exif = image.getexif()
        sub = exif.get_ifd(EXIF_IFD)
    except Exception:  # noqa: BLE001 - a broken EXIF block is no reason to refuse a photo
        return {}
    description = text(exif.get(IMAGE_DESCRIPTION), utf8_in_latin1=True)
    taken = sub.get(DATETIME_ORIGINAL) or exif.get(DATETIME)
    return {
        "credit": "",
        "creator": text(exif.get(ARTIST), utf8_in_latin1=True),
        "copyright_notice": text(exif.get(COPYRIGHT), utf8_in_latin1=True),
        "captions": {"x-default": description} if description else {},
        "taken_at": parse_exif_datetime(taken, sub.get(OFFSET_TIME_ORIGINAL, "")) if taken else None,
        "people": [],
    }


def read_metadata(image) -> PhotoMetadata:
    """Metadata of an open Pillow image, XMP first, then IPTC, then EXIF."""
    languages = [code for code, _name in settings.LANGUAGES]
    default_language = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    xmp = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
    sources = [read_xmp(xmp), read_iptc(image), read_exif(image)]
    result = PhotoMetadata()
    for source in sources:
        if not source:
            continue
        for name in ("credit", "creator", "copyright_notice"):
            if not getattr(result, name) and source.get(name):
                setattr(result, name, source[name][:200] if name != "copyright_notice" else source[name][:255])
        if result.taken_at is None and source.get("taken_at"):
            result.taken_at = source["taken_at"]
        if not result.people and source.get("people"):
            result.people = source["people"]
        for lang, caption in source.get("captions", {}).items():
            if lang in languages:
                result.captions.setdefault(lang, caption)
        untagged = source.get("captions", {}).get("x-default")
        if untagged:  # an untagged caption is in the original language, French
            result.captions.setdefault(default_language, untagged)
    return result
