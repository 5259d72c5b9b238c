"""Time and memory to make every rendition of a 20-megapixel JPEG, ours against a plain pipeline.

    .venv/bin/python bench/renditions.py [--runs 5] [--screenshots]

Each pipeline runs in its own fresh process, so the peak RSS of one does not hide the other's.
"Plain" opens the original and resizes it with Lanczos once per width and format, as a first
version would; "ours" is media.renditions.render_sizes (one draft-mode decode, smaller sizes
derived from larger ones, encodings on two threads). Memory is reported two ways: the peak of
Python allocations (tracemalloc, which does not see Pillow's pixel buffers) and the growth of the
process's peak resident set (ru_maxrss), which does.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SOURCE = ROOT / "var" / "bench" / "photo-20mp.jpg"
SCREENSHOTS = ROOT / "docs" / "screenshots"


def _configure_django() -> None:
    from django.conf import settings

    if not settings.configured:  # no database needed: only the image code runs
        settings.configure(USE_I18N=False, PHOTO_MAX_PIXELS=100_000_000, PHOTO_MAX_UPLOAD_BYTES=40 * 1024 * 1024)


def ensure_source() -> Path:
    if not SOURCE.exists():
        from bench.photos import photographic_jpeg

        SOURCE.parent.mkdir(parents=True, exist_ok=True)
        SOURCE.write_bytes(photographic_jpeg())
    return SOURCE


def _rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def run_child(pipeline: str, runs: int) -> dict:
    """Runs inside a fresh process: time each run, then measure memory on one more."""
    _configure_django()
    from media.renditions import Credits, plain_render_sizes, render_sizes

    credits = Credits(credit="©MAINT", copyright_notice="© Ministère des Affaires intérieures")
    work = {
        "ours": lambda: render_sizes(SOURCE, credits),
        "plain": lambda: plain_render_sizes(SOURCE, credits),
    }[pipeline]
    baseline_rss = _rss_kib()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        results = work()
        times.append(time.perf_counter() - start)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    work()
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "pipeline": pipeline,
        "times": times,
        "median": statistics.median(times),
        "best": min(times),
        "rss_growth_mb": (peak_rss - baseline_rss) / 1024,
        "tracemalloc_peak_mb": traced_peak / 1024 / 1024,
        "files": [(r.width, r.height, r.format, len(r.data)) for r in results],
    }


def screenshots() -> list[Path]:
    """Crops of the same area from both pipelines side by side, at three widths, for the eye."""
    _configure_django()
    from PIL import Image, ImageDraw

    from media.renditions import plain_render_sizes, render_sizes

    ours = {(r.width, r.format): r for r in render_sizes(SOURCE)}
    plain = {(r.width, r.format): r for r in plain_render_sizes(SOURCE)}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    written = []
    for width, fmt in [(1920, "jpeg"), (640, "webp"), (320, "jpeg")]:
        a = Image.open(io.BytesIO(plain[(width, fmt)].data)).convert("RGB")
        b = Image.open(io.BytesIO(ours[(width, fmt)].data)).convert("RGB")
        crop_w = min(a.width, 480)
        crop_h = min(a.height, 320)
        box = ((a.width - crop_w) // 2, (a.height - crop_h) // 2)
        box = (*box, box[0] + crop_w, box[1] + crop_h)
        scale = max(1, 480 // crop_w)
        a, b = (im.crop(box).resize((crop_w * scale, crop_h * scale), Image.Resampling.NEAREST) for im in (a, b))
        sheet = Image.new("RGB", (a.width * 2 + 30, a.height + 40), "white")
        sheet.paste(a, (10, 30))
        sheet.paste(b, (a.width + 20, 30))
        draw = ImageDraw.Draw(sheet)
        draw.text((10, 8), f"plain {width}w {fmt} ({len(plain[(width, fmt)].data) // 1024} KiB)", fill="black")
        draw.text((a.width + 20, 8), f"ours {width}w {fmt} ({len(ours[(width, fmt)].data) // 1024} KiB)", fill="black")
        path = SCREENSHOTS / f"renditions-{width}-{fmt}.png"
        sheet.save(path)
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--screenshots", action="store_true", help="write docs/screenshots/renditions-*.png")
    parser.add_argument("--child", choices=["ours", "plain"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    ensure_source()
    if args.child:
        print(json.dumps(run_child(args.child, args.runs)))
        return

    from PIL import Image, features

    with Image.open(SOURCE) as image:
        size = image.size
    print(
        f"Source: {SOURCE.relative_to(ROOT)}, {size[0]}×{size[1]} ({size[0] * size[1] / 1e6:.1f} MP), "
        f"{SOURCE.stat().st_size / 1e6:.1f} MB JPEG"
    )
    print(
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, Pillow {Image.__version__} (libjpeg-turbo "
        f"{features.version('libjpeg_turbo')}, libwebp {features.version('webp')})"
    )
    results = {}
    for pipeline, runs in (("ours", args.runs), ("plain", max(1, min(args.runs, 3)))):
        output = subprocess.run(
            [sys.executable, __file__, "--child", pipeline, "--runs", str(runs)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results[pipeline] = json.loads(output.strip().splitlines()[-1])
    for name in ("ours", "plain"):
        r = results[name]
        print(
            f"{name:>5}: median {r['median'] * 1000:7.0f} ms, best {r['best'] * 1000:7.0f} ms over {len(r['times'])} "
            f"runs; peak RSS growth {r['rss_growth_mb']:6.1f} MB; tracemalloc peak {r['tracemalloc_peak_mb']:5.1f} MB;"
            f" {len(r['files'])} files, {sum(f[3] for f in r['files']) / 1024:.0f} KiB"
        )
    ratio = results["plain"]["median"] / results["ours"]["median"]
    print(f"Ratio: ours is {ratio:.1f}× faster than plain (median against median)")
    print("Files (ours): " + ", ".join(f"{w}×{h} {f} {n // 1024} KiB" for w, h, f, n in results["ours"]["files"]))
    if args.screenshots:
        for path in screenshots():
            print(f"Wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
