"""A backup restores into a fresh database: every release, translation, photo and revision is back."""

from pathlib import Path

import psycopg
import pytest
import reversion
from django.core.management import call_command
from django.db import connection

from newsroom.backup import BackupError, connection_url, restore_backup, table_row_counts
from releases.models import Release


@pytest.fixture
def fresh_database():
    """An empty database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore"
    admin_url = connection_url("postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield connection_url(name)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_then_restore_into_a_fresh_database(tmp_path, media_root, fresh_database):
    call_command("load_demo")
    release = Release.objects.get()
    with reversion.create_revision():  # an edit with its revision, as the admin keeps one on every save
        release.lead_fr = "Chapeau corrigé avant la sauvegarde."
        release.save()
    call_command("backup", str(tmp_path / "backups"))
    [folder] = list((tmp_path / "backups").iterdir())

    restored_media = tmp_path / "restored-uploads"
    call_command("restore", str(folder), database_url=fresh_database, media_root=str(restored_media), yes=True)

    restored_counts = table_row_counts(fresh_database)
    assert restored_counts == table_row_counts(connection_url())
    assert restored_counts["reversion_version"] > 0 and restored_counts["reversion_revision"] > 0
    with psycopg.connect(fresh_database) as conn:
        title_fr, title_en, body_fr = conn.execute(
            "SELECT title_fr, title_en, body_fr FROM releases_release WHERE id = %s", [release.pk]
        ).fetchone()
    assert (title_fr, title_en, body_fr) == (release.title_fr, release.title_en, release.body_fr)

    originals = sorted(p.relative_to(media_root) for p in media_root.rglob("*") if p.is_file())
    restored = sorted(p.relative_to(restored_media) for p in restored_media.rglob("*") if p.is_file())
    assert restored == originals and len(originals) > 3
    for path in originals:
        assert (restored_media / path).read_bytes() == (media_root / path).read_bytes()
    print(
        f"\nrestored: {len(restored_counts)} tables, {sum(restored_counts.values())} rows, {len(originals)} files "
        f"({sum(restored_counts[t] for t in restored_counts if t.startswith('reversion_'))} revision rows)"
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_damaged_backup_is_refused(tmp_path, fresh_database):
    call_command("backup", str(tmp_path / "backups"))
    [folder] = list((tmp_path / "backups").iterdir())
    with (folder / "database.dump").open("ab") as dump:
        dump.write(b"garbage")
    with pytest.raises(BackupError, match="checksum"):
        restore_backup(folder=folder, url=fresh_database, media_root=Path(tmp_path / "out"))
