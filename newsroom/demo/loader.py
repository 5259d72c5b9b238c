"""Demo content: the example release of the Ministry of Home Affairs and the facts around it.

Idempotent: every object is found by a natural key (slug, file hash, person and role) and updated,
so running it twice leaves the same rows. The three photos are stand-ins drawn with Pillow: the
originals are not available.
"""

from __future__ import annotations

import hashlib
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from core.models import Tag
from core.publication import Status
from media.models import Gallery, GalleryItem, Photo, PhotoPerson
from media.services import photo_create_from_upload
from media.tasks import photo_generate_renditions
from meetings.models import Meeting, Participation
from newsroom.demo.seed import read_seed
from people.models import Appointment, Organisation, Person, Role
from releases.models import Release, ReleaseOrganisation
from sites.models import Site, SiteHost, SiteLink

LUX = ZoneInfo("Europe/Luxembourg")
PUBLISHED_AT = datetime(2024, 1, 25, 17, 30, tzinfo=LUX)

ORGANISATIONS = {
    "ministere-interieur-lu": {
        "name_fr": "Ministère de l'Intérieur",
        "name_de": "Ministerium des Innern",
        "name_en": "Ministry of Home Affairs (until 2023)",
        "name_lb": "Ministère vum Interieur",
        "acronym_fr": "MINT",
        "byline_name_fr": "le ministère de l'Intérieur",
        "byline_name_de": "des Ministeriums des Innern",
        "byline_name_en": "the Ministry of the Interior",
        "byline_name_lb": "Ministère vum Interieur",
        "kind": Organisation.Kind.MINISTRY,
        "country": "LU",
        "closed_on": date(2023, 11, 16),
    },
    "maint": {
        "name_fr": "Ministère des Affaires intérieures",
        "name_de": "Ministerium für innere Angelegenheiten",
        "name_en": "Ministry of Home Affairs",
        "name_lb": "Ministère fir bannenzeg Affären",
        "acronym_fr": "MAINT",
        "byline_name_fr": "le ministère des Affaires intérieures",
        "byline_name_de": "des Ministeriums für innere Angelegenheiten",
        "byline_name_en": "the Ministry of Home Affairs",
        "byline_name_lb": "Ministère fir bannenzeg Affären",
        "kind": Organisation.Kind.MINISTRY,
        "country": "LU",
        "website": "https://maint.gouvernement.lu",
    },
    "presidence-belge-ue-2024": {
        "name_fr": "Présidence belge du Conseil de l'Union européenne",
        "name_de": "Belgischer Vorsitz im Rat der Europäischen Union",
        "name_en": "Belgian Presidency of the Council of the EU",
        "name_lb": "Belsche Presidence vum EU-Rot",
        "kind": Organisation.Kind.FOREIGN_GOVERNMENT,
        "country": "BE",
        "closed_on": date(2024, 6, 30),
    },
    "dfjp": {
        "name_fr": "Département fédéral de justice et police",
        "name_de": "Eidgenössisches Justiz- und Polizeidepartement",
        "name_en": "Federal Department of Justice and Police",
        "acronym_fr": "DFJP",
        "acronym_de": "EJPD",
        "acronym_en": "FDJP",
        "kind": Organisation.Kind.FOREIGN_GOVERNMENT,
        "country": "CH",
    },
    "euaa": {
        "name_fr": "Agence de l'Union européenne pour l'asile",
        "name_de": "Asylagentur der Europäischen Union",
        "name_en": "European Union Agency for Asylum",
        "acronym_fr": "AUEA",
        "acronym_en": "EUAA",
        "acronym_de": "EUAA",
        "kind": Organisation.Kind.EU_INSTITUTION,
        "country": "MT",
    },
    "easo": {
        "name_fr": "Bureau européen d'appui en matière d'asile",
        "name_de": "Europäisches Unterstützungsbüro für Asylfragen",
        "name_en": "European Asylum Support Office",
        "acronym_fr": "EASO",
        "acronym_en": "EASO",
        "kind": Organisation.Kind.EU_INSTITUTION,
        "country": "MT",
        "closed_on": date(2022, 1, 18),
    },
    "ministere-interieur-fr": {
        "name_fr": "Ministère de l'Intérieur (France)",
        "name_de": "Innenministerium (Frankreich)",
        "name_en": "Ministry of the Interior (France)",
        "kind": Organisation.Kind.FOREIGN_GOVERNMENT,
        "country": "FR",
    },
    "ministere-justice-fr": {
        "name_fr": "Ministère de la Justice (France)",
        "name_de": "Justizministerium (Frankreich)",
        "name_en": "Ministry of Justice (France)",
        "kind": Organisation.Kind.FOREIGN_GOVERNMENT,
        "country": "FR",
    },
    "spf-interieur-be": {
        "name_fr": "SPF Intérieur (Belgique)",
        "name_de": "FÖD Inneres (Belgien)",
        "name_en": "FPS Home Affairs (Belgium)",
        "kind": Organisation.Kind.FOREIGN_GOVERNMENT,
        "country": "BE",
    },
}
SUCCESSORS = {"ministere-interieur-lu": "maint", "easo": "euaa"}

# (slug, given name, family name, [(organisation slug, role titles by language, start, end)])
PEOPLE = [
    (
        "leon-gloden",
        "Léon",
        "Gloden",
        [
            (
                "maint",
                {
                    "fr": "ministre des Affaires intérieures",
                    "de": "Minister für innere Angelegenheiten",
                    "en": "Minister for Home Affairs",
                    "lb": "Minister fir bannenzeg Affären",
                },
                date(2023, 11, 17),
                None,
            ),
        ],
    ),
    (
        "beat-jans",
        "Beat",
        "Jans",
        [
            (
                "dfjp",
                {
                    "fr": "conseiller fédéral suisse en charge du Département fédéral de justice et police",
                    "de": "Schweizer Bundesrat, Vorsteher des Eidgenössischen Justiz- und Polizeidepartements",
                    "en": "Swiss Federal Councillor in charge of the Federal Department of Justice and Police",
                },
                date(2024, 1, 1),
                None,
            ),
        ],
    ),
    (
        "annelies-verlinden",
        "Annelies",
        "Verlinden",
        [
            (
                "spf-interieur-be",
                {
                    "fr": "ministre de l'intérieur du Royaume de Belgique",
                    "de": "Innenministerin des Königreichs Belgien",
                    "en": "Minister of the Interior of the Kingdom of Belgium",
                },
                date(2020, 10, 1),
                date(2025, 2, 3),
            ),
        ],
    ),
    (
        "gerald-darmanin",
        "Gérald",
        "Darmanin",
        [
            (
                "ministere-interieur-fr",
                {"fr": "ministre de l'Intérieur", "de": "Innenminister", "en": "Minister of the Interior"},
                date(2020, 7, 6),
                date(2024, 9, 21),
            ),
            (
                "ministere-justice-fr",
                {
                    "fr": "garde des Sceaux, ministre de la Justice",
                    "de": "Justizminister",
                    "en": "Keeper of the Seals, Minister of Justice",
                },
                date(2024, 12, 23),
                None,
            ),
        ],
    ),
    (
        "nina-gregori",
        "Nina",
        "Gregori",
        [
            (
                "easo",
                {
                    "fr": "directrice exécutive du Bureau européen d'appui en matière d'asile",
                    "de": "Exekutivdirektorin des Europäischen Unterstützungsbüros für Asylfragen",
                    "en": "Executive Director of the European Asylum Support Office",
                },
                date(2019, 2, 16),
                date(2022, 1, 18),
            ),
            (
                "euaa",
                {
                    "fr": "directrice exécutive de l'agence de l'Union européenne pour l'asile",
                    "de": "Exekutivdirektorin der Asylagentur der Europäischen Union",
                    "en": "Executive Director of the European Union Agency for Asylum",
                },
                date(2022, 1, 19),
                None,
            ),
        ],
    ),
]

TAGS = [
    ("migration", "migration", "Migration", "migration", "Migratioun"),
    ("asile", "asile", "Asyl", "asylum", "Asyl"),
    (
        "protection-temporaire",
        "protection temporaire",
        "vorübergehender Schutz",
        "temporary protection",
        "temporäre Schutz",
    ),
    ("ukraine", "Ukraine", "Ukraine", "Ukraine", "Ukrain"),
    (
        "intelligence-artificielle",
        "intelligence artificielle",
        "künstliche Intelligenz",
        "artificial intelligence",
        "kënschtlech Intelligenz",
    ),
    ("deepfakes", "deepfakes", "Deepfakes", "deepfakes", "Deepfakes"),
    (
        "criminalite-organisee",
        "criminalité organisée",
        "organisierte Kriminalität",
        "organised crime",
        "organiséiert Kriminalitéit",
    ),
    ("stupefiants", "stupéfiants", "Betäubungsmittel", "drugs", "Drogen"),
    ("ports", "ports", "Häfen", "ports", "Hafen"),
    (
        "cooperation-policiere",
        "coopération policière",
        "polizeiliche Zusammenarbeit",
        "police cooperation",
        "polizeilech Zesummenaarbecht",
    ),
]

ENGLISH = {
    "title": "Léon Gloden at the informal meeting of the Justice and Home Affairs (JHA) Council",
    "slug": "leon-gloden-informal-jha-council",
    "body": "".join(
        f"<p>{p}</p>"
        for p in [
            "Following a presentation by the Belgian Presidency and the European Commission on migration and asylum "
            "in the European Union, the ministers discussed a coordinated approach to the continued implementation "
            "of temporary protection for people who fled Ukraine after the Russian aggression of February 2022. "
            "Minister Gloden explicitly supported extending temporary protection beyond March 2025. The ministers "
            "then discussed alternatives that would ease access to other residence permits, for example for people "
            "who have entered the labour market.",
            "Artificial intelligence and its use by criminals were discussed over a working lunch. The ministers "
            "shared their national experience of the misuse of the tools available in this field. The problem of "
            "deepfakes and their use to disinform the public in an electoral context was also raised.",
            "The afternoon was devoted to the fight against organised crime linked to drug trafficking. One of the "
            "flagship priorities of the Belgian presidency for the next six months, the ministers debated a range "
            "of measures, from public-private partnerships such as the European Ports Alliance officially launched "
            "the day before, to non-repressive and preventive measures, in particular against the recruitment of "
            "minors by criminals. Regulated police access to digital data, efficient data exchange between EU law "
            "enforcement services and good cooperation with partner third countries are essential to fight this "
            "scourge effectively.",
            "Initiated by the European Commission, the European Ports Alliance aims to promote the exchange of good "
            "practice between the private and public sectors in order to strengthen the resilience of European "
            "ports against organised crime. The project requires good cooperation between customs and police "
            "authorities and the operators of logistics platforms.",
            "On the sidelines of the informal meeting, Minister Gloden signed with his French counterpart, Gérald "
            "Darmanin, two administrative arrangements on joint patrols on board trains running on all cross-border "
            "railway lines, in the stations served and on the road and motorway network.",
            "Léon Gloden also met the Executive Director of the European Union Agency for Asylum, Nina Gregori, and "
            "the Swiss Federal Councillor in charge of the Federal Department of Justice and Police, Beat Jans.",
        ]
    ),
}

# Per photo: English caption, alt text (fr, en), people shown from the left (person slugs).
PHOTO_DETAILS = {
    1: {
        "caption_en": "Group photo",
        "alt_fr": "Photo de groupe des ministres de la Justice et des Affaires intérieures",
        "alt_en": "Group photo of the justice and home affairs ministers",
        "people": [],
    },
    2: {
        "caption_en": "(from left to right) Léon Gloden, Minister for Home Affairs; Beat Jans, Swiss Federal "
        "Councillor in charge of the Federal Department of Justice and Police",
        "alt_fr": "Léon Gloden et Beat Jans",
        "alt_en": "Léon Gloden and Beat Jans",
        "people": ["leon-gloden", "beat-jans"],
    },
    3: {
        "caption_en": "(from left to right) Annelies Verlinden, Minister of the Interior of the Kingdom of "
        "Belgium, Léon Gloden, Minister for Home Affairs",
        "alt_fr": "Annelies Verlinden et Léon Gloden",
        "alt_en": "Annelies Verlinden and Léon Gloden",
        "people": ["annelies-verlinden", "leon-gloden"],
    },
}
PHOTO_COLOURS = {1: (0, 71, 127), 2: (0, 105, 92), 3: (120, 60, 20)}


#: The stand-ins are drawn with DejaVu Sans, which has every letter of the four languages ("é", "ë",
#: "ß", "—", "©"); Pillow's built-in font has no accented letters. Debian's fonts-dejavu-core
#: (scripts/ensure-fonts.sh) installs it; Pillow finds it by name in the system's font folders.
FONT_FILE = "DejaVuSans.ttf"
FONT_PACKAGE = "fonts-dejavu-core"


class DemoFontMissing(RuntimeError):
    pass


def demo_font(size: int) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(FONT_FILE, size)
    except OSError as error:
        raise DemoFontMissing(
            f"The demo photos are drawn with the DejaVu Sans font ({FONT_FILE}), which is not installed: "
            f"install Debian's {FONT_PACKAGE} package (sudo apt-get install {FONT_PACKAGE}, "
            "or run scripts/ensure-fonts.sh)."
        ) from error


def stand_in_lines(number: int, caption: str) -> list[tuple[tuple[int, int], str, int]]:
    """What a stand-in photo says: (position, text, font size) of each line."""
    lines = [((80, 80), f"Photo {number} — image de démonstration", 48)]
    lines.append(((80, 160), "L'original n'est pas disponible. ©MAINT", 32))
    # French puts a space before ";": a no-break one, so no line starts with the semicolon.
    words, line, y = [word for word in caption.replace(" ;", "\u00a0;").split(" ") if word], "", 260
    for word in words:
        if len(line) + len(word) > 60:
            lines.append(((80, y), line, 32))
            line, y = "", y + 44
        line = f"{line} {word}".strip()
    lines.append(((80, y), line, 32))
    return lines


def stand_in_image(number: int, caption: str) -> bytes:
    """A 1600×1067 JPEG saying it stands in for the original photo. The same bytes on every run."""
    image = Image.new("RGB", (1600, 1067), PHOTO_COLOURS[number])
    draw = ImageDraw.Draw(image)
    for step in range(0, 1067, 8):
        shade = tuple(min(255, c + step // 12) for c in PHOTO_COLOURS[number])
        draw.rectangle([0, step, 1600, step + 8], fill=shade)
    for position, text, size in stand_in_lines(number, caption):
        draw.text(position, text, fill="white", font=demo_font(size))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _organisations() -> dict[str, Organisation]:
    organisations = {}
    for slug, fields in ORGANISATIONS.items():
        organisations[slug], _ = Organisation.objects.update_or_create(slug=slug, defaults=fields)
    for old, new in SUCCESSORS.items():
        Organisation.objects.filter(slug=old).update(successor=organisations[new])
    return organisations


def _people(organisations) -> dict[str, list[Appointment]]:
    appointments = {}
    for slug, given, family, roles in PEOPLE:
        person, _ = Person.objects.update_or_create(slug=slug, defaults={"given_name": given, "family_name": family})
        appointments[slug] = []
        for organisation_slug, titles, started_on, ended_on in roles:
            role, _ = Role.objects.update_or_create(
                organisation=organisations[organisation_slug],
                title_fr=titles["fr"],
                defaults={f"title_{code}": text for code, text in titles.items()} | {"kind": Role.Kind.MINISTER},
            )
            appointment, _ = Appointment.objects.update_or_create(
                person=person, role=role, started_on=started_on, defaults={"ended_on": ended_on}
            )
            appointments[slug].append(appointment)
    return appointments


def _tags() -> list[Tag]:
    tags = []
    for slug, fr, de, en, lb in TAGS:
        tag, _ = Tag.objects.update_or_create(
            slug=slug, defaults={"name": fr, "name_fr": fr, "name_de": de, "name_en": en, "name_lb": lb}
        )
        tags.append(tag)
    return tags


def _held_on(appointments, day: date) -> Appointment:
    return next(a for a in appointments if a.started_on <= day and (a.ended_on is None or a.ended_on >= day))


def _gallery(seed, people, tags) -> Gallery:
    day = PUBLISHED_AT.date()
    gallery, _ = Gallery.objects.update_or_create(
        slug="reunion-informelle-jai-janvier-2024",
        defaults={
            "title_fr": "Réunion informelle du Conseil JAI, 25 janvier 2024",
            "title_en": "Informal JHA Council meeting, 25 January 2024",
            "title_de": "Informelles Treffen des Rates Justiz und Inneres, 25. Januar 2024",
            "status": Status.PUBLISHED,
            "publish_at": PUBLISHED_AT,
            "first_published_at": PUBLISHED_AT,
        },
    )
    for seed_photo in seed.photos:
        details = PHOTO_DETAILS[seed_photo.number]
        data = stand_in_image(seed_photo.number, seed_photo.caption)
        digest = hashlib.sha256(data).hexdigest()
        fields = {
            "credit": seed_photo.credit,
            "copyright_notice": "© Ministère des Affaires intérieures",
            "caption_fr": seed_photo.caption,
            "caption_en": details["caption_en"],
            "alt_text_fr": details["alt_fr"],
            "alt_text_en": details["alt_en"],
            "taken_at": datetime(2024, 1, 25, 11, 0, tzinfo=LUX),
            "consent_note": "Image de démonstration dessinée pour la démo : la photo originale n'est pas disponible.",
        }
        file_name = f"maint-jai-{seed_photo.number}.jpg"
        photo = Photo.objects.filter(file_hash=digest).first()
        if photo is None:
            photo = photo_create_from_upload(file=ContentFile(data, name=file_name), fields=fields)
        else:
            Photo.objects.filter(pk=photo.pk).update(**fields)
        for position, person_slug in enumerate(details["people"], start=1):
            PhotoPerson.objects.update_or_create(
                photo=photo, position=position, defaults={"appointment": _held_on(people[person_slug], day)}
            )
        # A stand-in drawn by an earlier version of this loader gives its place to the new drawing.
        GalleryItem.objects.update_or_create(gallery=gallery, position=seed_photo.number, defaults={"photo": photo})
        replaced = Photo.objects.filter(
            original_filename=file_name, gallery_items__isnull=True, portrait_of__isnull=True
        )
        replaced.exclude(pk=photo.pk).delete()
        photo_generate_renditions(photo=photo)  # the demo needs no worker to show its photos
    gallery.tags.set(tags[:4])
    return gallery


def _meeting(organisations, people, tags) -> Meeting:
    meeting, _ = Meeting.objects.update_or_create(
        slug="reunion-informelle-jai-2024-01",
        defaults={
            "title_fr": "Réunion informelle des ministres de la Justice et des Affaires intérieures",
            "title_de": "Informelles Treffen der Minister für Justiz und Inneres",
            "title_en": "Informal meeting of Justice and Home Affairs ministers",
            "kind": Meeting.Kind.EU_COUNCIL_INFORMAL,
            "configuration_fr": "Justice et affaires intérieures",
            "configuration_de": "Justiz und Inneres",
            "configuration_en": "Justice and Home Affairs",
            "starts_at": datetime(2024, 1, 24, 9, 0, tzinfo=LUX),
            "ends_at": datetime(2024, 1, 26, 17, 0, tzinfo=LUX),
            "venue_fr": "Palais d'Egmont",
            "venue_en": "Egmont Palace",
            "venue_de": "Egmont-Palast",
            "city_fr": "Bruxelles",
            "city_de": "Brüssel",
            "city_en": "Brussels",
            "city_lb": "Bréissel",
            "country": "BE",
            "host": organisations["presidence-belge-ue-2024"],
            "description_fr": "Journée des affaires intérieures le 25 janvier, avec les États associés à Schengen. "
            "L'European Ports Alliance a été lancée la veille, le 24 janvier, à Anvers.",
            "description_en": "Home affairs day on 25 January, with the Schengen associated states. The European "
            "Ports Alliance was launched the day before, on 24 January, in Antwerp.",
            "status": Status.PUBLISHED,
            "publish_at": datetime(2024, 1, 22, 10, 0, tzinfo=LUX),
            "first_published_at": datetime(2024, 1, 22, 10, 0, tzinfo=LUX),
        },
    )
    day = date(2024, 1, 25)
    for position, slug in enumerate(
        ["leon-gloden", "beat-jans", "annelies-verlinden", "gerald-darmanin", "nina-gregori"], start=1
    ):
        Participation.objects.update_or_create(
            meeting=meeting, appointment=_held_on(people[slug], day), defaults={"position": position}
        )
    meeting.tags.set(tags)
    return meeting


@transaction.atomic
def load_demo() -> Release:
    """Load (or refresh) the demo content; return the example release."""
    seed = read_seed()
    organisations = _organisations()
    people = _people(organisations)
    tags = _tags()
    gallery = _gallery(seed, people, tags)
    meeting = _meeting(organisations, people, tags)
    release, _ = Release.objects.update_or_create(
        slug_fr="leon-gloden-a-la-reunion-informelle-du-conseil-jai",
        defaults={
            "kind": Release.Kind.COMMUNIQUE,
            "original_language": "fr",
            "title_fr": seed.title,
            "body_fr": seed.body_html,
            "title_en": ENGLISH["title"],
            "slug_en": ENGLISH["slug"],
            "body_en": ENGLISH["body"],
            "event_date": date(2024, 1, 25),
            "meeting": meeting,
            "gallery": gallery,
            "status": Status.PUBLISHED,
            "publish_at": PUBLISHED_AT,
            "first_published_at": PUBLISHED_AT,
            "public_updated_at": None,
        },
    )
    ReleaseOrganisation.objects.update_or_create(
        release=release, position=1, defaults={"organisation": organisations["maint"]}
    )
    release.appointments.set(
        [
            _held_on(people[slug], PUBLISHED_AT.date())
            for slug in ["leon-gloden", "beat-jans", "annelies-verlinden", "gerald-darmanin", "nina-gregori"]
        ]
    )
    release.tags.set(tags)
    return release


#: The demo's sites, served by ``make run``: the portal at 127.0.0.1 and localhost, and each demo ministry
#: still in office at ``<acronym>.localhost`` (browsers resolve any ``*.localhost`` to loopback).
PORTAL = {
    "name_fr": "Le gouvernement luxembourgeois",
    "name_de": "Die Luxemburger Regierung",
    "name_en": "The Luxembourg Government",
    "name_lb": "D'Lëtzebuerger Regierung",
    "short_name_fr": "gouvernement.lu",
    "accent_colour": "#00538A",
}
PORTAL_HOSTS = ("127.0.0.1", "localhost")
MINISTRY_COLOURS = {"maint": "#7A1F5C"}


@transaction.atomic
def load_demo_sites() -> list[Site]:
    """Create (or refresh) the portal and a site for each demo ministry still in office."""
    portal, _ = Site.objects.update_or_create(organisation=None, defaults=PORTAL)
    sites = [portal]
    _hosts(portal, PORTAL_HOSTS)
    SiteLink.objects.update_or_create(
        site=portal, position=1, defaults={"label_fr": "gouvernement.lu", "url": "https://gouvernement.lu"}
    )
    ministries = Organisation.objects.filter(
        slug__in=list(ORGANISATIONS), kind=Organisation.Kind.MINISTRY, closed_on=None
    ).exclude(acronym_fr="")
    for ministry in ministries:
        names = {f"name_{code}": getattr(ministry, f"name_{code}") for code in ("fr", "de", "en", "lb")}
        site, _ = Site.objects.update_or_create(
            organisation=ministry,
            defaults={
                **names,
                "short_name_fr": ministry.acronym_fr,
                "accent_colour": MINISTRY_COLOURS.get(ministry.slug, "#00538A"),
            },
        )
        _hosts(site, [f"{ministry.acronym_fr.lower()}.localhost"])
        if ministry.website:
            SiteLink.objects.update_or_create(
                site=site, position=1, defaults={"label_fr": ministry.website.split("//")[-1], "url": ministry.website}
            )
        sites.append(site)
    return sites


def _hosts(site: Site, hosts) -> None:
    for position, host in enumerate(hosts, start=1):
        SiteHost.objects.update_or_create(host=host, defaults={"site": site, "position": position})
