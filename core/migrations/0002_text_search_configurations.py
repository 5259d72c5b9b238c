"""Accent-insensitive text search configurations, one per content language.

``french_unaccent``, ``german_unaccent`` and ``english_unaccent`` copy PostgreSQL's stemming
configurations and run ``unaccent`` before the stemmer; Luxembourgish has no stemmer in PostgreSQL,
so ``simple_unaccent`` (no stemming, accents removed) serves it.
"""

from django.db import migrations

CONFIGURATIONS = {
    "french_unaccent": ("french", "french_stem"),
    "german_unaccent": ("german", "german_stem"),
    "english_unaccent": ("english", "english_stem"),
    "simple_unaccent": ("simple", "simple"),
}


def forwards_sql():
    statements = []
    for name, (source, dictionary) in CONFIGURATIONS.items():
        statements.append(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS public.{name}")
        statements.append(f"CREATE TEXT SEARCH CONFIGURATION public.{name} (COPY = pg_catalog.{source})")
        statements.append(
            f"ALTER TEXT SEARCH CONFIGURATION public.{name} "
            f"ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, {dictionary}"
        )
    return ";\n".join(statements) + ";"


def backwards_sql():
    return ";\n".join(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS public.{name}" for name in CONFIGURATIONS) + ";"


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0001_initial")]

    operations = [migrations.RunSQL(forwards_sql(), backwards_sql())]
