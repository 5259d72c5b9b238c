"""Metadata written by a photo desk (exiftool) prefills the photo on upload."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from PIL import Image

from media.metadata import read_metadata, read_xmp, text
from media.models import Photo
from tests import factories
from tests.media.photo_files import encode, exiftool, inline_management_data, jpeg, noisy_image

LUX = ZoneInfo("Europe/Luxembourg")

DESK = [
    "-XMP-photoshop:Credit=©MAINT",
    "-XMP-dc:Creator=Claude Piscitelli",
    "-XMP-dc:Rights=© Ministère des Affaires intérieures",
    "-XMP-dc:Description-fr=Léon Gloden et Beat Jans à Bruxelles",
    "-XMP-dc:Description-de=Léon Gloden und Beat Jans in Brüssel",
    "-XMP-dc:Description-en=Léon Gloden and Beat Jans in Brussels",
    "-XMP-iptcExt:PersonInImage=Léon Gloden",
    "-XMP-iptcExt:PersonInImage+=Beat Jans",
    "-XMP-iptcExt:PersonInImage+=Inconnu Dupont",
    "-EXIF:DateTimeOriginal=2024:01:25 11:02:03",
    "-EXIF:OffsetTimeOriginal=+01:00",
    "-GPSLatitude=50.8466",
    "-GPSLatitudeRef=N",
    "-GPSLongitude=4.3528",
    "-GPSLongitudeRef=E",
]


@pytest.fixture
def people(db):
    gloden = factories.person(given_name="Léon", family_name="Gloden", slug="leon-gloden")
    jans = factories.person(given_name="Beat", family_name="Jans", slug="beat-jans")
    minister = factories.role(
        title_fr="ministre des Affaires intérieures", title_de="Minister für innere Angelegenheiten"
    )
    councillor = factories.role(title_fr="conseiller fédéral", title_de="Bundesrat")
    return {
        "gloden": factories.appointment(gloden, minister, started_on=date(2023, 11, 17)),
        "jans": factories.appointment(jans, councillor, started_on=date(2024, 1, 1)),
    }


@pytest.mark.django_db
def test_xmp_and_exif_prefill_the_photo(post_photo, people, tmp_path):
    data = exiftool(jpeg(), *DESK, tmp_path=tmp_path)
    response = post_photo(data, credit="")
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    photo = Photo.objects.get()
    assert photo.credit == "©MAINT"
    assert photo.creator == "Claude Piscitelli"
    assert photo.copyright_notice == "© Ministère des Affaires intérieures"
    assert photo.caption_fr == "Léon Gloden et Beat Jans à Bruxelles"
    assert photo.caption_de == "Léon Gloden und Beat Jans in Brüssel"
    assert photo.caption_en == "Léon Gloden and Beat Jans in Brussels"
    assert not photo.caption_lb
    assert photo.taken_at == datetime(2024, 1, 25, 11, 2, 3, tzinfo=LUX)
    assert photo.suggested_people == [
        {"name": "Léon Gloden", "person_id": people["gloden"].person_id},
        {"name": "Beat Jans", "person_id": people["jans"].person_id},
        {"name": "Inconnu Dupont", "person_id": None},
    ]


@pytest.mark.django_db
def test_what_the_officer_typed_wins_over_the_file(post_photo, tmp_path):
    data = exiftool(jpeg(), *DESK, tmp_path=tmp_path)
    assert post_photo(data, credit="©SIP", caption_fr="Légende écrite à la main").status_code == 302
    photo = Photo.objects.get()
    assert photo.credit == "©SIP"
    assert photo.caption_fr == "Légende écrite à la main"
    assert not photo.caption_de  # the file's captions come as a set, or not at all


@pytest.mark.django_db
def test_iptc_only_file_with_latin1_and_repeated_bylines(post_photo, tmp_path):
    data = exiftool(
        jpeg(),
        "-IPTC:Credit=©SIP / J.-C. Verhaegen",
        "-IPTC:By-line=Jean-Christophe Verhaegen",
        "-IPTC:By-line+=Marie Müller",
        "-IPTC:CopyrightNotice=© SIP",
        "-IPTC:Caption-Abstract=Réunion à Luxembourg",
        "-IPTC:DateCreated=2024:03:05",
        "-IPTC:TimeCreated=14:30:00+01:00",
        tmp_path=tmp_path,
    )
    assert post_photo(data, credit="").status_code == 302
    photo = Photo.objects.get()
    assert photo.credit == "©SIP / J.-C. Verhaegen"
    assert photo.creator == "Jean-Christophe Verhaegen, Marie Müller"
    assert photo.caption_fr == "Réunion à Luxembourg"  # untagged: the original language
    assert photo.taken_at == datetime(2024, 3, 5, 14, 30, tzinfo=LUX)


@pytest.mark.django_db
def test_exif_only_utf8_text_is_not_mangled(post_photo, tmp_path):
    data = exiftool(
        jpeg(),
        "-EXIF:Artist=Frédéric Müller",
        "-EXIF:Copyright=© Ministère d'État",
        "-EXIF:ImageDescription=Conférence de presse",
        "-EXIF:DateTimeOriginal=2023:12:31 23:59:00",
        tmp_path=tmp_path,
    )
    assert post_photo(data, credit="").status_code == 302
    photo = Photo.objects.get()
    assert photo.creator == "Frédéric Müller"
    assert photo.credit == "© Ministère d'État"  # no credit line: the copyright notice stands in
    assert photo.caption_fr == "Conférence de presse"
    assert photo.taken_at == datetime(2023, 12, 31, 23, 59, tzinfo=LUX)


def test_metadata_from_png_and_webp(tmp_path, settings):
    for fmt, suffix in (("PNG", ".png"), ("WEBP", ".webp")):
        data = exiftool(
            encode(noisy_image(64, 48), fmt),
            "-XMP-photoshop:Credit=©MAINT",
            "-XMP-dc:Description-de=Bildunterschrift",
            "-XMP-photoshop:DateCreated=2024:01:25 11:00:00+01:00",
            suffix=suffix,
            tmp_path=tmp_path,
        )
        import io

        metadata = read_metadata(Image.open(io.BytesIO(data)))
        assert metadata.credit == "©MAINT", fmt
        assert metadata.captions == {"de": "Bildunterschrift"}, fmt
        assert metadata.taken_at == datetime(2024, 1, 25, 11, 0, tzinfo=LUX), fmt


def test_text_normalises_what_pillow_returns():
    assert text(b"\xc2\xa9MAINT") == "©MAINT"
    assert text(b"\xa9MAINT") == "©MAINT"  # Latin-1
    assert text([b"Anne", b"Marc"]) == "Anne, Marc"
    assert text({"x-default": "Légende", "de": "Bild"}) == "Légende"
    assert text("Ã\x89tat", utf8_in_latin1=True) == "État"
    assert text("  deux\x00  espaces ") == "deux espaces"
    assert text(None) == ""


@pytest.mark.django_db
def test_hostile_xmp_is_ignored(post_photo):
    bomb = (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:Credit="&lol2;"/>'
        b'</rdf:RDF></x:xmpmeta><?xpacket end="r"?>'
    )
    assert read_xmp(bomb) == {}  # the DTD is never parsed, and defusedxml refuses entities anyway
    data = encode(noisy_image(), "JPEG", xmp=bomb)
    assert post_photo(data, credit="©MAINT").status_code == 302
    assert Photo.objects.get().credit == "©MAINT"


@pytest.mark.django_db
def test_officer_confirms_the_people_read_from_the_file(post_photo, staff_client, people, tmp_path):
    data = exiftool(jpeg(), *DESK, tmp_path=tmp_path)
    assert post_photo(data, credit="").status_code == 302
    photo = Photo.objects.get()
    url = reverse("admin:media_photo_change", args=[photo.pk])
    page = staff_client.get(url)
    assert "Inconnu Dupont" in page.content.decode()
    payload = inline_management_data(page)
    payload.update(
        {
            "alt_text_fr": "Deux ministres",
            "credit": photo.credit,
            "caption_is_generated": "on",
            "confirm_suggested_people": "on",
            "taken_at_0": "25/01/2024",
            "taken_at_1": "11:02:03",
        }
    )
    response = staff_client.post(url, payload)
    assert response.status_code == 302, response.context["adminform"].form.errors
    photo.refresh_from_db()
    assert list(photo.people_shown.values_list("appointment", flat=True)) == [people["gloden"].pk, people["jans"].pk]
    assert photo.suggested_people == []
    assert photo.caption_fr == (
        "(de g. à dr.) Léon Gloden, ministre des Affaires intérieures ; Beat Jans, conseiller fédéral"
    )
    assert photo.caption_de == "(v. l. n. r.) Léon Gloden, Minister für innere Angelegenheiten; Beat Jans, Bundesrat"


@pytest.mark.django_db
def test_names_match_people_whatever_the_accents_case_and_hyphens(db):
    from media.services import people_matching

    darmanin = factories.person(given_name="Gérald", family_name="Darmanin")
    dupont = factories.person(given_name="Marie-Anne", family_name="Dupont-Aignan")
    factories.person(given_name="Gérard", family_name="Darmanin")
    assert people_matching(["GERALD DARMANIN", "marie anne dupont aignan", "Gérald Darmanine", " "]) == [
        {"name": "GERALD DARMANIN", "person_id": darmanin.pk},
        {"name": "marie anne dupont aignan", "person_id": dupont.pk},
        {"name": "Gérald Darmanine", "person_id": None},
    ]
