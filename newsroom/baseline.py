"""Only with ``BENCH=1``: the pre-rendered page ``bench/run.py`` compares the newsroom's pages with."""

from django.conf import settings
from django.http import HttpResponse

_BASELINES: dict[int, bytes] = {}


def bench_baseline(request):
    """Only with BENCH=1: an already rendered page of ``?bytes=`` bytes (bench/run.py's baseline)."""
    size = request.GET.get("bytes", "")
    size = min(int(size), 1_000_000) if size.isdigit() else settings.BENCH_BASELINE_BYTES
    if size not in _BASELINES:
        line = b"<p>Le Gouvernement informe que la r\xc3\xa9union a eu lieu.</p>\n"
        head = b"<!DOCTYPE html><html lang=fr><title>Base</title>"
        body = head + line * ((size - len(head)) // len(line) + 1)
        _BASELINES[size] = body[:size]
    return HttpResponse(_BASELINES[size], content_type="text/html; charset=utf-8")
