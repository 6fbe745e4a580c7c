"""Builds dist/check-your-return.html: one file a coordinator opens from disk to check a return.

Everything the page runs is inside it: Pyodide's core (from npm, installed by `npm ci` from the
committed lock), the pure-Python wheels in wheels.txt and sdists.txt (from PyPI, hashes
checked), the cjreturns wheel built from this checkout, the Scottish Government Design System's
stylesheet with its licence, and the page's own script. Binary assets are base64 in inert
<script type="application/octet-stream"> blocks and turned into blob: URLs by the page, because
browsers refuse module imports and fetches from file://. The page makes no network request: a
Content-Security-Policy forbids them and its fetch shim answers only for the bundled files.

Run by `make check-page`; it fetches from the npm registry and PyPI only, never at run time.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NODE = HERE / "node_modules"
PYODIDE = NODE / "pyodide"
DESIGN_SYSTEM = NODE / "@scottish-government" / "design-system"
PYODIDE_FILES = ("pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")


def run(cmd: list[str], **kw: object) -> None:
    subprocess.run(cmd, check=True, **kw)  # type: ignore[call-overload]


def fetch_wheels(cache: Path) -> list[Path]:
    """The pinned wheels, downloaded once into `cache` (pip checks every hash)."""
    wheels = cache / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    run(
        [*pip, "download", "--no-deps", "--only-binary", ":all:", "--python-version", "3.13",
         "--require-hashes", "-r", str(HERE / "wheels.txt"), "-d", str(wheels)]
    )  # fmt: skip
    built = cache / "built"
    built.mkdir(exist_ok=True)
    env = {**os.environ, "PYYAML_FORCE_LIBYAML": "0"}
    if not list(built.glob("pyyaml-*.whl")) and not list(built.glob("PyYAML-*.whl")):
        run(
            [*pip, "wheel", "--no-deps", "--no-binary", ":all:", "--require-hashes",
             "-r", str(HERE / "sdists.txt"), "-w", str(built)],
            env=env,
        )  # fmt: skip
    found = sorted(wheels.glob("*.whl")) + sorted(built.glob("*.whl"))
    for w in found:
        if not w.name.endswith("-none-any.whl"):
            raise SystemExit(f"{w.name} is not a pure-Python wheel; Pyodide's core cannot use it")
        with zipfile.ZipFile(w) as z:
            compiled = [n for n in z.namelist() if n.endswith((".so", ".pyd"))]
        if compiled:
            raise SystemExit(f"{w.name} carries compiled code ({compiled[0]})")
    return found


def build_cjreturns_wheel(out: Path) -> Path:
    """This checkout's cjreturns as a wheel (schemas and templates inside it)."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("cjreturns-*.whl"):
        old.unlink()
    run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet", "wheel",
         "--no-deps", "--no-build-isolation", "-w", str(out), str(ROOT)]
    )  # fmt: skip
    (wheel,) = out.glob("cjreturns-*.whl")
    return wheel


def asset(name: str, data: bytes, *, compress: bool) -> str:
    """An inert script block holding `data` as base64 (gzip first where it shrinks)."""
    if compress:
        data = gzip.compress(data, compresslevel=9, mtime=0)
    encoded = base64.b64encode(data).decode("ascii")
    gz = ' data-gzip="1"' if compress else ""
    return (
        f'<script type="application/octet-stream" data-asset="{html.escape(name)}"{gz}>'
        f"{encoded}</script>"
    )


def pyodide_version() -> str:
    return json.loads((PYODIDE / "package.json").read_text())["version"]


def design_system_version() -> str:
    return json.loads((DESIGN_SYSTEM / "package.json").read_text())["version"]


def build(out: Path, cache: Path) -> Path:
    for f in PYODIDE_FILES:
        if not (PYODIDE / f).is_file():
            raise SystemExit(f"{PYODIDE / f} is missing: run `npm ci` in checkpage/ first")
    wheels = fetch_wheels(cache)
    own = build_cjreturns_wheel(cache / "own")
    manifest = {
        "pyodide": pyodide_version(),
        "wheels": [w.name for w in [*wheels, own]],
        "micropip": next(w.name for w in wheels if w.name.startswith("micropip-")),
    }
    blocks = [
        asset("pyodide.asm.js", (PYODIDE / "pyodide.asm.js").read_bytes(), compress=True),
        asset("pyodide.asm.wasm", (PYODIDE / "pyodide.asm.wasm").read_bytes(), compress=True),
        asset("python_stdlib.zip", (PYODIDE / "python_stdlib.zip").read_bytes(), compress=False),
        asset("pyodide-lock.json", (PYODIDE / "pyodide-lock.json").read_bytes(), compress=True),
        asset("pyodide.mjs", (PYODIDE / "pyodide.mjs").read_bytes(), compress=True),
        asset("app.js", (HERE / "app.js").read_bytes(), compress=False),
        asset("check.py", (HERE / "check.py").read_bytes(), compress=False),
        *(asset(w.name, w.read_bytes(), compress=False) for w in [*wheels, own]),
    ]
    css = (DESIGN_SYSTEM / "dist" / "css" / "design-system.min.css").read_text()
    css = css.split("/*# sourceMappingURL")[0]
    licence = (DESIGN_SYSTEM / "LICENSE.txt").read_text()
    page = (HERE / "page.html").read_text()
    replacements = {
        "{{DESIGN_SYSTEM_CSS}}": css.replace("</", "<\\/"),
        "{{DESIGN_SYSTEM_LICENCE}}": html.escape(licence).replace("--", "- -"),
        "{{DESIGN_SYSTEM_VERSION}}": design_system_version(),
        "{{PYODIDE_VERSION}}": manifest["pyodide"],
        "{{PAGE_CSS}}": (HERE / "page.css").read_text(),
        "{{BOOTSTRAP_JS}}": (HERE / "bootstrap.js").read_text(),
        "{{MANIFEST}}": json.dumps(manifest).replace("<", "\\u003c"),
        "{{ASSETS}}": "\n".join(blocks),
    }
    for key, value in replacements.items():
        if key not in page:
            raise SystemExit(f"page.html has no {key}")
        page = page.replace(key, value)
    for script in ("bootstrap.js",):
        if "</script" in (HERE / script).read_text().lower():
            raise SystemExit(f"{script} must not contain '</script'")
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".check-page-", suffix=".html")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(page)
    os.replace(tmp, out)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()[:12]
    size = out.stat().st_size / 1024 / 1024
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out} "
          f"({size:.1f} MB, sha256 {digest}…)")  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / "check-your-return.html")
    parser.add_argument("--cache", type=Path, default=ROOT / "build" / "check-page")
    parser.add_argument("--clean", action="store_true", help="Download and build everything anew.")
    args = parser.parse_args()
    if args.clean and args.cache.exists():
        shutil.rmtree(args.cache)
    build(args.out.resolve(), args.cache.resolve())


if __name__ == "__main__":
    main()
