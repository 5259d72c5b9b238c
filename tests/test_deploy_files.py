"""The deployment files the documentation shows are the committed ones, which the scale tests run."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def vcl_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```vcl\n(.*?)^```$", markdown, flags=re.DOTALL | re.MULTILINE)


def test_the_operations_guide_shows_the_committed_varnish_configuration():
    blocks = vcl_blocks((ROOT / "docs" / "operations.md").read_text())
    for name in ("newsroom.vcl", "backends.vcl"):
        committed = (ROOT / "deploy" / "varnish" / name).read_text()
        assert committed in blocks, f"docs/operations.md does not show deploy/varnish/{name} as committed"
    assert len(blocks) == 2, "and no other VCL"
