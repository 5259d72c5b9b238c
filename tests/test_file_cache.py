"""The file cache of one machine keeps values like Django's and stays near its entry limit."""

from pathlib import Path

from newsroom.file_cache import FileCache
from newsroom.settings import cache_from_url


def file_cache(folder: Path, **options) -> FileCache:
    return FileCache(str(folder), {"OPTIONS": options})


def test_a_file_url_selects_the_file_cache(tmp_path):
    assert cache_from_url(f"file://{tmp_path}")["BACKEND"] == "newsroom.file_cache.FileCache"


def test_values_written_are_read_back_by_another_instance_on_the_same_folder(tmp_path):
    writer, reader = file_cache(tmp_path), file_cache(tmp_path)
    writer.set("page", {"html": "<p>Communiqué</p>"}, 60)
    writer.set_many({"tag:a": 1, "tag:b": 2}, None)
    assert reader.get("page") == {"html": "<p>Communiqué</p>"}
    assert reader.get_many(["tag:a", "tag:b", "tag:c"]) == {"tag:a": 1, "tag:b": 2}


def test_entries_past_the_limit_are_culled_at_the_next_count(tmp_path):
    cache = file_cache(tmp_path, MAX_ENTRIES=20, CULL_EVERY=10)
    for number in range(200):
        cache.set(f"entry-{number}", number, None)
        # Never more than the limit and the writes between two counts.
        assert len(list(tmp_path.glob("*.djcache"))) <= 20 + 10
    assert cache.get("entry-199") == 199


def test_counting_at_every_write_keeps_djangos_limit(tmp_path):
    cache = file_cache(tmp_path, MAX_ENTRIES=20, CULL_EVERY=1)
    for number in range(60):
        cache.set(f"entry-{number}", number, None)
        assert len(list(tmp_path.glob("*.djcache"))) <= 20 + 1
