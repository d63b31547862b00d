"""Write data/population.csv: total population (World Bank WDI, SP.POP.TOTL), 2001-2024, every economy in the extract.

The figures come from the WDI extract bundled in the PyPI wheel
``atlas-common-data`` 1.1.1 (Harvard Growth Lab, Apache-2.0;
``atlas_common_data/data/cache/wdi_data.parquet``, column ``population`` =
``SP.POP.TOTL``). The wheel is fetched with ``pip download`` and checked
against a pinned sha256; it is not installed (it requires pandas < 3).
The World Bank's own world aggregate (WLD) is not in the extract: shares of
"the world" in this project are shares of the 210 economies listed.

Usage: python scripts/build_population.py [--wheel atlas_common_data-1.1.1-py3-none-any.whl]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pandas as pd

PROJECT = Path(__file__).resolve().parents[1]
OUTPUT = PROJECT / "data" / "population.csv"
WHEEL_SHA256 = "333f4f6d71865642aa4f64165821f4aeb52f8cc570cd9418d74b79a46dd97620"
MEMBER = "atlas_common_data/data/cache/wdi_data.parquet"
SOURCE_ID = "wdi_population_atlas_1_1_1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel
        if wheel is None:
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", tmp,
                            "atlas-common-data==1.1.1"], check=True)
            wheel = next(Path(tmp).glob("atlas_common_data-1.1.1-*.whl"))
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != WHEEL_SHA256:
            raise SystemExit(f"{wheel.name}: sha256 {digest} differs from the pinned {WHEEL_SHA256}")
        with zipfile.ZipFile(wheel) as archive:
            wdi = pd.read_parquet(io.BytesIO(archive.read(MEMBER)))
    wdi = wdi[(wdi["year"] >= 2001) & (wdi["year"] <= 2024) & wdi["population"].notna()]
    out = pd.DataFrame({"iso3": wdi["iso3_code"], "year": wdi["year"].astype(int),
                        "population": wdi["population"].round().astype("int64"), "source_id": SOURCE_ID})
    out = out.sort_values(["iso3", "year"], ignore_index=True)
    out.to_csv(OUTPUT, index=False, lineterminator="\n")
    print(f"{OUTPUT.relative_to(PROJECT)}: {len(out)} rows, {out['iso3'].nunique()} economies")


if __name__ == "__main__":
    main()
