"""Realistic benchmark data at scale: releases, people, organisations, meetings, tags and photos.

Deterministic for a given seed. The many rows (releases and what links them) are written with
PostgreSQL's ``COPY`` in batches (:func:`copy_rows`: model defaults apply, primary keys are drawn from
the table's sequence in one query, one round trip per table and batch); ``save()`` does not run, so
derived data such as search vectors is refreshed in one statement at the end through
:func:`refresh_derived_data`.

Proportions (per release): about 70 % French only, the rest in two to four languages; bodies of
300–800 words; 0–30 photos drawn from a pool (through a gallery of its own); 1–10 people mentioned;
1–8 tags; 1–3 issuing organisations; one in five relates to a meeting. A few *busy people* (the
first ``busy_people`` generated people, ministers in the news every week) are each named in 1 to 5 %
of the releases, so a person page with thousands of releases is part of the data set.

The first ``sites`` ministries (``generate_bench_data --sites``, default 20) each get their own site,
at ``bench-org-<n>.localhost`` (browsers and ``curl`` resolve ``*.localhost`` to the loopback
address); a portal at ``localhost`` and ``127.0.0.1`` is made too when the database has no site yet.
"""

from __future__ import annotations

import io
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection, transaction
from PIL import Image, ImageDraw

from core.models import Tag, TaggedItem
from core.publication import Status
from media.models import Gallery, GalleryItem, Photo
from media.tasks import photo_generate_renditions
from meetings.models import Meeting
from people.models import Appointment, Organisation, Person, Role
from releases.models import Release, ReleaseOrganisation
from sites.models import Site, SiteHost

MARKER = "bench-"  # every generated slug starts with it, so the data can be told apart and removed
LANGUAGES = ["fr", "de", "en", "lb"]
WORDS = {
    "fr": [
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "ministre",
        "gouvernement",
        "conseil",
        "réunion",
        "coopération",
        "européenne",
        "sécurité",
        "asile",
        "migration",
        "police",
        "justice",
        "affaires",
        "intérieures",
        "présidence",
        "accord",
        "projet",
        "loi",
        "budget",
        "santé",
        "éducation",
        "développement",
        "durable",
        "transport",
        "énergie",
        "logement",
        "emploi",
        "numérique",
        "protection",
        "citoyens",
        "commune",
        "frontière",
        "données",
        "criminalité",
        "organisée",
        "stupéfiants",
        "ports",
        "résilience",
        "partenariat",
        "mesures",
        "prévention",
        "éléments",
        "débat",
        "priorités",
        "accès",
        "titres",
        "séjour",
        "marché",
        "travail",
        "échange",
        "pratiques",
        "secteur",
        "public",
        "privé",
    ],
    "de": [
        "der",
        "die",
        "das",
        "ein",
        "eine",
        "Minister",
        "Regierung",
        "Rat",
        "Sitzung",
        "Zusammenarbeit",
        "europäische",
        "Sicherheit",
        "Asyl",
        "Migration",
        "Polizei",
        "Justiz",
        "innere",
        "Angelegenheiten",
        "Vorsitz",
        "Abkommen",
        "Projekt",
        "Gesetz",
        "Haushalt",
        "Gesundheit",
        "Bildung",
        "Entwicklung",
        "Verkehr",
        "Energie",
        "Wohnungsbau",
        "Beschäftigung",
        "digital",
        "Schutz",
        "Bürger",
        "Gemeinde",
        "Grenze",
    ],
    "en": [
        "the",
        "a",
        "minister",
        "government",
        "council",
        "meeting",
        "cooperation",
        "european",
        "security",
        "asylum",
        "migration",
        "police",
        "justice",
        "home",
        "affairs",
        "presidency",
        "agreement",
        "project",
        "law",
        "budget",
        "health",
        "education",
        "development",
        "transport",
        "energy",
        "housing",
        "employment",
        "digital",
        "protection",
        "citizens",
        "municipality",
        "border",
        "data",
        "organised",
        "crime",
    ],
    "lb": [
        "de",
        "d'",
        "eng",
        "Minister",
        "Regierung",
        "Rot",
        "Reunioun",
        "Zesummenaarbecht",
        "europäesch",
        "Sécherheet",
        "Asyl",
        "Migratioun",
        "Police",
        "Justiz",
        "bannenzeg",
        "Affären",
        "Presidence",
        "Accord",
        "Projet",
        "Gesetz",
        "Budget",
        "Gesondheet",
        "Educatioun",
        "Entwécklung",
        "Transport",
        "Energie",
        "Logement",
        "Aarbecht",
        "digital",
        "Schutz",
        "Bierger",
        "Gemeng",
        "Grenz",
    ],
}


def progress(label: str, done: int, total: int, started: float, stream=sys.stderr) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    rate = done / max(time.monotonic() - started, 1e-6)
    stream.write(f"\r{label:<14} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} ({rate:,.0f}/s)")
    if done >= total:
        stream.write("\n")
    stream.flush()


def words(rng: random.Random, language: str, count: int) -> str:
    return " ".join(rng.choices(WORDS[language], k=count))


def paragraphs(rng: random.Random, language: str, total_words: int) -> str:
    out, left = [], total_words
    while left > 0:
        size = min(left, rng.randint(40, 120))
        text = words(rng, language, size)
        out.append(f"<p>{text[0].upper()}{text[1:]}.</p>")
        left -= size
    return "".join(out)


def pool_image(index: int) -> bytes:
    image = Image.new("RGB", (1280, 853), ((index * 37) % 255, (index * 71) % 255, (index * 13) % 255))
    draw = ImageDraw.Draw(image)
    for y in range(0, 853, 16):
        draw.line([(0, y), (1280, (y * 3) % 853)], fill=((index * 5 + y) % 255, 120, 200), width=3)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def copy_rows(model, objects: list) -> list:
    """Insert ``objects`` (unsaved instances of ``model``) with ``COPY FROM STDIN``; set their primary keys.

    Like ``bulk_create`` (field defaults and ``pre_save`` apply, no signals, no ``save()``) but with one
    query for the ids and one ``COPY`` for the rows, whatever their number.
    """
    if not objects:
        return objects
    meta = model._meta
    table = connection.ops.quote_name(meta.db_table)
    fields = list(meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objects)],
        )
        for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = pk
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row([field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields])
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objects


def refresh_derived_data() -> None:
    """Recompute what ``save()`` and the signals derive, for rows written in bulk (search vectors,
    issuing organisations' ids; the organisations of meetings and galleries, in one statement each
    with the same rule as ``core.organisations``: a meeting's host, participants and the issuers of
    releases about it, a gallery's the issuers of releases carrying it)."""
    from releases.models import refresh_organisation_ids
    from releases.search import update_search_vectors

    generated = Release.objects.filter(slug_fr__startswith=MARKER)
    update_search_vectors(generated)
    refresh_organisation_ids(generated)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE meetings_meeting AS m SET organisation_ids = ARRAY(
                SELECT DISTINCT o FROM (
                    SELECT m.host_id AS o
                    UNION ALL SELECT ro.organisation_id FROM releases_releaseorganisation ro
                        JOIN releases_release r ON r.id = ro.release_id WHERE r.meeting_id = m.id
                    UNION ALL SELECT role.organisation_id FROM meetings_participation p
                        JOIN people_appointment a ON a.id = p.appointment_id
                        JOIN people_role role ON role.id = a.role_id WHERE p.meeting_id = m.id
                ) AS found WHERE o IS NOT NULL ORDER BY o)
            WHERE m.slug LIKE %s
            """,
            [f"{MARKER}%"],
        )
        cursor.execute(
            """
            UPDATE media_gallery AS g SET organisation_ids = ARRAY(
                SELECT DISTINCT ro.organisation_id FROM releases_releaseorganisation ro
                    JOIN releases_release r ON r.id = ro.release_id WHERE r.gallery_id = g.id
                ORDER BY 1)
            WHERE g.slug LIKE %s
            """,
            [f"{MARKER}%"],
        )


def make_sites(organisations: list[Organisation]) -> int:
    """A site for each of ``organisations`` at ``<slug>.localhost``; a portal at ``localhost`` and
    ``127.0.0.1`` if there is no site at all yet. Returns the number of ministry sites made."""
    if not Site.objects.exists():
        portal = Site.objects.create(name="Portail", name_fr="Portail", short_name=f"{MARKER}portal")
        SiteHost.objects.create(site=portal, host="localhost", position=1)
        SiteHost.objects.create(site=portal, host="127.0.0.1", position=2)
    made = 0
    for organisation in organisations:
        if Site.objects.filter(organisation=organisation).exists():
            continue
        site = Site.objects.create(
            organisation=organisation, name=organisation.name, name_fr=organisation.name_fr, short_name=f"B{made}"
        )
        SiteHost.objects.create(site=site, host=f"{organisation.slug}.localhost", position=1)
        made += 1
    return made


def clear() -> None:
    """Remove generated rows (everything whose slug starts with the marker)."""
    release_ids = list(Release.objects.filter(slug_fr__startswith=MARKER).values_list("id", flat=True))
    content_type = ContentType.objects.get_for_model(Release)
    Site.objects.filter(organisation__slug__startswith=MARKER).delete()
    Site.objects.filter(short_name__startswith=MARKER).delete()
    TaggedItem.objects.filter(content_type=content_type, object_id__in=release_ids).delete()
    Release.objects.filter(id__in=release_ids).delete()
    GalleryItem.objects.filter(gallery__slug__startswith=MARKER).delete()
    Gallery.objects.filter(slug__startswith=MARKER).delete()
    Meeting.objects.filter(slug__startswith=MARKER).delete()
    Appointment.objects.filter(person__slug__startswith=MARKER).delete()
    Person.objects.filter(slug__startswith=MARKER).delete()
    Role.objects.filter(organisation__slug__startswith=MARKER).delete()
    Organisation.objects.filter(slug__startswith=MARKER).delete()
    Tag.objects.filter(slug__startswith=MARKER).delete()
    for photo in Photo.objects.filter(original_filename__startswith=MARKER).prefetch_related("renditions"):
        for rendition in photo.renditions.all():
            rendition.file.delete(save=False)
        photo.image.delete(save=False)
        photo.delete()


def generate(
    *,
    releases: int,
    people: int = 3000,
    organisations: int = 40,
    tags: int = 400,
    meetings: int = 2000,
    photos: int = 60,
    seed: int = 1,
    batch: int = 5000,
    busy_people: int = 5,
    sites: int = 0,
) -> dict[str, int]:
    """Write the data set; return how many rows of each kind were made."""
    rng = random.Random(seed)
    started = time.monotonic()
    now = datetime.now(UTC)

    with transaction.atomic():
        orgs = Organisation.objects.bulk_create(
            Organisation(
                slug=f"{MARKER}org-{i}",
                name=f"Ministère {i}",
                name_fr=f"Ministère {i}",
                name_de=f"Ministerium {i}",
                name_en=f"Ministry {i}",
                byline_name_fr=f"le ministère {i}",
                kind=Organisation.Kind.MINISTRY,
            )
            for i in range(organisations)
        )
        counts_sites = make_sites(orgs[:sites]) if sites else 0
        roles = Role.objects.bulk_create(
            Role(
                organisation=orgs[i % organisations],
                title=f"ministre {i}",
                title_fr=f"ministre {i}",
                title_en=f"minister {i}",
            )
            for i in range(organisations * 3)
        )
        persons = Person.objects.bulk_create(
            Person(
                slug=f"{MARKER}person-{i}",
                given_name=rng.choice(["Anne", "Luc", "Marie", "Paul", "Nora"]),
                family_name=f"{words(rng, 'fr', 1).title()}{i}",
            )
            for i in range(people)
        )
        appointments = Appointment.objects.bulk_create(
            Appointment(person=person, role=roles[i % len(roles)], started_on=date(2010, 1, 1) + timedelta(days=i))
            for i, person in enumerate(persons)
        )
        tag_rows = Tag.objects.bulk_create(
            Tag(
                slug=f"{MARKER}tag-{i}",
                name=f"thème {i}",
                name_fr=f"thème {i}",
                name_de=f"Thema {i}",
                name_en=f"topic {i}",
                name_lb=f"Theema {i}",
            )
            for i in range(tags)
        )
        meeting_rows = Meeting.objects.bulk_create(
            Meeting(
                slug=f"{MARKER}meeting-{i}",
                title=f"Réunion {i}",
                title_fr=f"Réunion {i}",
                starts_at=now - timedelta(days=rng.randint(-60, 3000)),
                kind=Meeting.Kind.OTHER,
                status=Status.PUBLISHED,
                publish_at=now - timedelta(days=3000),
                city_fr="Luxembourg",
            )
            for i in range(meetings)
        )
    pool = []
    for index in range(photos):
        data = pool_image(index)
        photo = Photo(
            credit="©MAINT",
            alt_text_fr=f"Photo {index}",
            caption_fr=f"Légende {index}",
            width=1280,
            height=853,
            original_filename=f"{MARKER}{index}.jpg",
        )
        photo.image.save(f"{MARKER}{index}.jpg", ContentFile(data), save=False)
        photo.save()
        photo_generate_renditions(photo=photo)
        pool.append(photo)
        progress("photos", index + 1, photos, started)

    # The busy people: person i (i < busy_people) is named in about (5 - i) % of the releases, at least 1 %.
    busy = [(appointments[i], max(0.01, 0.05 - 0.01 * i)) for i in range(min(busy_people, len(appointments)))]
    content_type = ContentType.objects.get_for_model(Release)
    counts = {"releases": 0, "galleries": 0, "gallery_items": 0, "mentions": 0, "tags": 0, "issuers": 0}
    release_started = time.monotonic()
    for offset in range(0, releases, batch):
        size = min(batch, releases - offset)
        with transaction.atomic():
            galleries, plan = [], []
            for i in range(offset, offset + size):
                photo_count = rng.choice([0, 0, 1, 3, 5, 8, 12, 20, 30])
                languages = ["fr"] if rng.random() < 0.7 else ["fr", *rng.sample(LANGUAGES[1:], rng.randint(1, 3))]
                publish_at = now - timedelta(minutes=rng.randint(1, 60 * 24 * 365 * 8))
                gallery = None
                if photo_count:
                    gallery = Gallery(
                        slug=f"{MARKER}gallery-{i}",
                        title=f"Galerie {i}",
                        title_fr=f"Galerie {i}",
                        status=Status.PUBLISHED,
                        publish_at=publish_at,
                    )
                    galleries.append(gallery)
                plan.append((i, languages, publish_at, gallery, photo_count))
            copy_rows(Gallery, galleries)
            release_rows = []
            for i, languages, publish_at, gallery, _count in plan:
                fields = {}
                for language in languages:
                    title = words(rng, language, rng.randint(6, 14)).capitalize()
                    fields[f"title_{language}"] = title
                    fields[f"slug_{language}"] = f"{MARKER}{language}-{i}"
                    fields[f"lead_{language}"] = words(rng, language, 30).capitalize() + "."
                    fields[f"body_{language}"] = paragraphs(rng, language, rng.randint(300, 800))
                release_rows.append(
                    Release(
                        kind=rng.choice(Release.Kind.values),
                        title=fields["title_fr"],
                        slug=fields["slug_fr"],
                        lead=fields["lead_fr"],
                        body=fields["body_fr"],
                        original_language="fr",
                        status=Status.PUBLISHED,
                        publish_at=publish_at,
                        first_published_at=publish_at,
                        gallery=gallery,
                        meeting=rng.choice(meeting_rows) if rng.random() < 0.2 else None,
                        event_date=publish_at.date(),
                        **fields,
                    )
                )
            created = copy_rows(Release, release_rows)
            issuers, mentions, tagged, items = [], [], [], []
            for release, (_i, _languages, _publish_at, gallery, photo_count) in zip(created, plan, strict=True):
                for position, org in enumerate(rng.sample(orgs, min(len(orgs), rng.randint(1, 3))), start=1):
                    issuers.append(ReleaseOrganisation(release=release, organisation=org, position=position))
                named = rng.sample(appointments, min(len(appointments), rng.randint(1, 10)))
                named += [a for a, share in busy if rng.random() < share and a not in named]
                for appointment in named:
                    mentions.append(Release.appointments.through(release=release, appointment=appointment))
                for tag in rng.sample(tag_rows, min(len(tag_rows), rng.randint(1, 8))):
                    tagged.append(TaggedItem(content_type=content_type, object_id=release.pk, tag=tag))
                if gallery:
                    for position, photo in enumerate(rng.sample(pool, min(photo_count, len(pool))), start=1):
                        items.append(GalleryItem(gallery=gallery, photo=photo, position=position))
            copy_rows(ReleaseOrganisation, issuers)
            copy_rows(Release.appointments.through, mentions)
            copy_rows(TaggedItem, tagged)
            copy_rows(GalleryItem, items)
        counts["releases"] += len(created)
        counts["galleries"] += len(galleries)
        counts["gallery_items"] += len(items)
        counts["mentions"] += len(mentions)
        counts["tags"] += len(tagged)
        counts["issuers"] += len(issuers)
        progress("releases", offset + size, releases, release_started)
    refresh_derived_data()
    with connection.cursor() as cursor:
        # VACUUM also sets the visibility map, so counts are index-only scans as on a settled database
        # (autovacuum would get there later); it cannot run inside a transaction (the tests' data).
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    counts["sites"] = counts_sites
    counts["seconds"] = round(time.monotonic() - started, 1)
    return counts
