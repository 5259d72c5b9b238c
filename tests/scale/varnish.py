"""Varnish in front of the two app processes of the scaled-out newsroom (tests/scale/cluster.py).

It runs the committed configuration as it is: ``deploy/varnish/newsroom.vcl``, which includes
``backends.vcl``. Only that second file is written here, from the committed one with the app
processes' ports in place of the example ports, so the rules the tests check are the ones the
documentation shows. ``varnishd`` is Debian's (``scripts/ensure-scale-deps.sh`` installs it for
``make test``).
"""

from __future__ import annotations

import shutil
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tests.scale.cluster import ROOT, Answer, free_port, request, wait_for

VCL_DIR = ROOT / "deploy" / "varnish"
EXAMPLE_PORTS = ('"8001"', '"8002"')


def varnish_binary(name: str = "varnishd") -> str:
    found = shutil.which(name) or next(
        (str(path) for path in (Path("/usr/sbin") / name, Path("/usr/bin") / name) if path.exists()), None
    )
    if not found:
        raise RuntimeError(
            f"The Varnish tests need Debian's varnish ({name}): `make test` installs it as root "
            "(scripts/ensure-scale-deps.sh); otherwise run `sudo apt-get install varnish`."
        )
    return found


def backends_vcl(app_ports: list[int]) -> str:
    """The committed backends.vcl with the test's app ports instead of the example ones."""
    text = (VCL_DIR / "backends.vcl").read_text()
    for example, port in zip(EXAMPLE_PORTS, app_ports, strict=True):
        assert text.count(example) == 1, f"backends.vcl names port {example} once"
        text = text.replace(example, f'"{port}"')
    return text


@dataclass
class Varnish:
    """One ``varnishd`` on a free loopback port, in the foreground, stopped by :meth:`stop`."""

    base: Path
    app_ports: list[int]
    port: int
    admin_port: int = 0
    process: subprocess.Popen | None = None
    workdir: Path = field(init=False)

    def __post_init__(self) -> None:
        self.workdir = self.base / "varnish"

    def start(self) -> Varnish:
        config = self.base / "varnish-config"
        config.mkdir(mode=0o755)
        (config / "backends.vcl").write_text(backends_vcl(self.app_ports))
        self.admin_port = free_port()
        self.process = subprocess.Popen(
            [
                varnish_binary(),
                "-F",
                "-a",
                f"127.0.0.1:{self.port}",
                "-T",
                f"127.0.0.1:{self.admin_port}",
                "-f",
                str(VCL_DIR / "newsroom.vcl"),
                "-p",
                f"vcl_path={config}:{VCL_DIR}",
                "-n",
                str(self.workdir),
                "-s",
                "malloc,64m",
            ],  # fmt: skip
            stdout=open(self.base / "varnish.log", "w"),  # noqa: SIM115 - closed with the process
            stderr=subprocess.STDOUT,
        )
        # Up once both app processes are healthy (the probe asks each for /robots.txt).
        wait_for(lambda: self.healthy_backends() == 2, 60, "varnish with both app processes healthy", 0.25)
        return self

    def admin(self, *args: str) -> str:
        done = subprocess.run(
            [varnish_binary("varnishadm"), "-n", str(self.workdir), *args],
            capture_output=True,
            text=True,
            timeout=20,
        )
        if done.returncode:
            raise RuntimeError(f"varnishadm {' '.join(args)} failed ({done.returncode}): {done.stdout}{done.stderr}")
        return done.stdout

    def healthy_backends(self) -> int:
        if self.process.poll() is not None:
            raise RuntimeError(f"varnishd stopped: {(self.base / 'varnish.log').read_text(errors='replace')}")
        listing = self.admin("backend.list")
        return sum(1 for line in listing.splitlines() if "newsroom_apps" not in line and " healthy " in f" {line} ")

    def get(self, path: str, headers: dict | None = None) -> Answer:
        return request("GET", f"http://127.0.0.1:{self.port}{path}", headers=headers)

    def ban(self, headers: dict, source: str = "127.0.0.1") -> Answer:
        """A BAN request, sent from the loopback address ``source`` (127.0.0.x)."""
        import http.client

        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10, source_address=(source, 0))
        try:
            connection.request("BAN", "/", headers=headers)
            response = connection.getresponse()
            return Answer(response.status, {}, response.read().decode())
        finally:
            connection.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
