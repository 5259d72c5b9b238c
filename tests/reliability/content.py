"""Content for the reliability tests, and the check that every editor's save is in a database."""

from __future__ import annotations

from urllib.parse import quote

import psycopg

from core.publication import Status
from tests import factories
from tests.publication.conftest import EDITOR, member

from .traffic import PASSWORD, EditAttempt


def newsroom_content(*, editors: int, drafts_per_editor: int, public_releases: int = 30):
    """A ministry with public releases to read, and editors (signing in with ``PASSWORD``) each with
    drafts of their own to work on: returns the ministry, the public releases and
    ``[(username, [draft ids])]``."""
    ministry = factories.organisation(slug="maint", name_fr="Ministère des Affaires intérieures")
    public = [
        factories.release(
            organisations=[ministry],
            kind="communique",
            title_fr=f"Coopération européenne en matière de sécurité, épisode {number}",
            lead_fr="Le ministre a rencontré ses homologues européens.",
            body_fr="<p>La coopération européenne progresse.</p>",
        )
        for number in range(public_releases)
    ]
    accounts = []
    for number in range(editors):
        user = member(EDITOR, ministry)
        user.username = f"editeur-{number}"
        user.set_password(PASSWORD)
        user.save()
        drafts = [
            factories.release(status=Status.DRAFT, organisations=[ministry], title_fr=f"Brouillon {number}-{n}").pk
            for n in range(drafts_per_editor)
        ]
        accounts.append((user.username, drafts))
    return ministry, public, accounts


def lost_saves(conninfo: str, saves: list[EditAttempt]) -> list[str]:
    """The markers of saves answered "saved" (302) that the database does not hold: each must be in one
    of its release's revisions, and a publication's marker must be the published release's lead."""
    lost = []
    with psycopg.connect(conninfo) as connection:
        for save in saves:
            lead, status = connection.execute(
                "SELECT lead_fr, status FROM releases_release WHERE id = %s", [save.release_id]
            ).fetchone()
            in_revisions = connection.execute(
                "SELECT count(*) FROM reversion_version v JOIN django_content_type t ON t.id = v.content_type_id "
                "WHERE t.app_label = 'releases' AND t.model = 'release' AND v.object_id = %s "
                "AND v.serialized_data LIKE %s",
                [str(save.release_id), f"%{save.marker}%"],
            ).fetchone()[0]
            if not in_revisions:
                lost.append(f"{save.marker}: not in the revisions")
            if save.action == "publish" and (lead != save.marker or status != Status.PUBLISHED):
                lost.append(f"{save.marker}: the release holds {lead!r} ({status})")
    return lost


def public_paths(ministry, release) -> list[str]:
    """The public surfaces under load: a release page, home, the list, a filtered list, search, a feed, the API."""
    return [
        release.get_absolute_url(),
        "/fr/",
        "/fr/communiques/",
        f"/fr/communiques/?organisation={ministry.slug}&kind=communique",
        "/fr/recherche/?q=" + quote("coopération européenne"),
        "/fr/communiques/flux/rss/",
        "/api/v1/releases/",
    ]
