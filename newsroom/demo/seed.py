"""Reads the example release as published (``communique-gloden-jai.txt``): title, body, gallery captions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

SEED_FILE = Path(__file__).with_name("communique-gloden-jai.txt")
GALLERY_ENTRY = re.compile(r"^\s*(\d+)\.\s+(©\S+)\s*$")


@dataclass
class SeedPhoto:
    number: int
    credit: str
    caption: str


@dataclass
class SeedRelease:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    photos: list[SeedPhoto] = field(default_factory=list)
    closing_line: str = ""

    @property
    def body_html(self) -> str:
        return "".join(f"<p>{paragraph}</p>" for paragraph in self.paragraphs)


def read_seed(path: Path = SEED_FILE) -> SeedRelease:
    """Split the published text into its parts; the body paragraphs are kept verbatim."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8"))]
    blocks = [block for block in blocks if block and block != "\xa0"]
    seed = SeedRelease(title=blocks[0])
    index = 1
    while index < len(blocks):
        block = blocks[index]
        entry = GALLERY_ENTRY.match(block)
        if entry:
            # A gallery entry: its number and credit, then the caption (printed twice on the page).
            seed.photos.append(SeedPhoto(int(entry.group(1)), entry.group(2), blocks[index + 1]))
            index += 3 if index + 2 < len(blocks) and blocks[index + 2] == blocks[index + 1] else 2
            continue
        if block.startswith("Communiqué par"):
            seed.closing_line = block
        elif block.startswith("Dernière mise à jour"):
            pass
        else:
            seed.paragraphs.append(block)
        index += 1
    return seed
