"""Build ``data/trade/national_goods_trade.csv`` from the national statistics offices' files.

Inputs (read-only, never committed; ``PROVENANCE.md`` and ``SHA256SUMS`` in the same folder):

* ``kaz_bns_foreign_trade_<year>.xls`` — Bureau of National Statistics of Kazakhstan, "Main indicators of
  foreign trade" by country, one sheet per year (the file's year and the year before), thousand US$;
* ``kgz_nsc_4.03.00.18_exports.xlsx`` and ``kgz_nsc_4.03.00.20_imports.xlsx`` — National Statistical Committee
  of the Kyrgyz Republic, geographical distribution of exports / imports of goods, 1994-2023, thousand US$;
* ``uzb_stat_sdmx_1105_exports.csv`` and ``uzb_stat_sdmx_1176_imports.csv`` — Statistics Agency of Uzbekistan,
  exports / imports by partner (ISO-numeric ``Code``), 2010-2023, thousand US$.

The script refuses to run (exit status 2) when a file's sha256 differs from ``SHA256SUMS``.

Output: one row per (reporter, partner, flow, year) for 2021-2023, reporters KAZ and KGZ, partners the
states of ``data/states.csv`` plus the world (``WLD``) where the office publishes a total (never a sum of
partners). The Uzbek files are read and checked but give no output rows (``OUTPUT_REPORTERS``): their
partner series is Uzbekistan's foreign trade in goods *and services* (see data/trade/README.md), which does
not belong in a goods table; they are used in the comparison with IMF DOTS only.

Partners are matched by code where the file gives one (Uzbek files: ISO 3166-1 numeric, via ``states.csv``)
and otherwise by the office's exact label (``KAZ_NAMES``, ``KGZ_NAMES``); aggregates are skipped by name
(``*_AGGREGATES``), and a label that looks like one of our states but is not mapped stops the build.
Thousand US$ are converted to whole US$ in decimal arithmetic (half-up); a cell that is empty, ``-`` or
rounds to 0 US$ gives no row. Rows are sorted, so a re-run gives the same bytes.

``--compare`` prints, instead, the comparison with the IMF DOTS rows of ``bilateral_goods_trade.csv`` for the
years both cover (2018-2020), as the Markdown table kept in ``data/trade/README.md``.

Usage: python scripts/build_national_trade.py [--raw ../shared/raw/national_stats_2024] [--output FILE]
                                              [--compare]
(needs the ``dev`` extra: xlrd for .xls, openpyxl for .xlsx).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
RAW_DEFAULT = PROJECT.parent / "shared" / "raw" / "national_stats_2024"
TRADE_DIR = PROJECT / "data" / "trade"
OUTPUT = TRADE_DIR / "national_goods_trade.csv"
DOTS_TABLE = TRADE_DIR / "bilateral_goods_trade.csv"
STATES = PROJECT / "data" / "states.csv"
YEARS = range(2021, 2024)
COMPARE_YEARS = range(2018, 2021)
COLUMNS = ["reporter_iso3", "partner_iso3", "flow", "year", "value_usd", "valuation", "is_estimate", "source_id",
           "note"]
VALUATION = {"export": "FOB", "import": "CIF"}
WORLD = "WLD"

KAZ_FILES = [f"kaz_bns_foreign_trade_{year}.xls" for year in range(2019, 2024)]
KGZ_FILES = {"export": "kgz_nsc_4.03.00.18_exports.xlsx", "import": "kgz_nsc_4.03.00.20_imports.xlsx"}
UZB_FILES = {"export": "uzb_stat_sdmx_1105_exports.csv", "import": "uzb_stat_sdmx_1176_imports.csv"}
INPUTS = [*KAZ_FILES, *KGZ_FILES.values(), *UZB_FILES.values()]

#: Reporters written to the output. UZB is left out: its partner series includes services (README).
OUTPUT_REPORTERS = ("KAZ", "KGZ")
SOURCE_IDS = {"KAZ": "bns_kaz_foreign_trade_by_country", "KGZ": "nsc_kgz_trade_by_country",
              "UZB": "stat_uzb_trade_by_country"}
BREAK_NOTE = "series break: national statistics from 2021; IMF DOTS to 2020, see data/trade/README.md"

#: Bureau of National Statistics of Kazakhstan: exact row labels (Russian) -> ISO3, for every state of
#: data/states.csv that appears in the 2018-2023 sheets.
KAZ_NAMES = {
    "Афганистан": "AFG", "Объединенные Арабские Эмираты": "ARE", "Армения": "ARM", "Азербайджан": "AZE",
    "Бахрейн": "BHR", "Беларусь": "BLR", "Китай": "CHN", "Египет": "EGY", "Индия": "IND",
    "Иран, Исламская Республика": "IRN", "Кыргызстан": "KGZ", "Камбоджа": "KHM", "Кувейт": "KWT",
    "Лаосская Народно-Демократическая Республика": "LAO", "Шри-Ланка": "LKA", "Мальдивы": "MDV",
    "Мьянма": "MMR", "Монголия": "MNG", "Непал": "NPL", "Пакистан": "PAK", "Катар": "QAT", "Россия": "RUS",
    "Саудовская Аравия": "SAU", "Таджикистан": "TJK", "Турция": "TUR", "Узбекистан": "UZB",
}
#: BNS rows that are the total (the reporter's trade with the world).
KAZ_WORLD = {"Всего", "Всего в том числе"}
#: BNS rows that group countries: skipped.
KAZ_AGGREGATES = {"Страны СНГ", "Страны ЕАЭС", "Страны вне ЕАЭС", "Остальные страны мира", "Европа", "Страны ЕС",
                  "Страны вне ЕС", "Азия", "Америка", "Африка", "Австралия и Океания"}
#: BNS labels that contain the name of one of our states but are other territories.
KAZ_OTHER = {"Тайвань (Китай)"}

#: National Statistical Committee of the Kyrgyz Republic: exact Russian labels (column B) -> ISO3.
KGZ_NAMES = {
    "Афганистан": "AFG", "Объединенные Арабские Эмираты": "ARE", "Армения": "ARM", "Азербайджан": "AZE",
    "Бахрейн": "BHR", "Беларусь": "BLR", "Китай": "CHN", "Египет": "EGY", "Индия": "IND", "Иран": "IRN",
    "Казахстан": "KAZ", "Камбоджа": "KHM", "Кувейт": "KWT", "Лаосская Народно-Демократическая Республика": "LAO",
    "Шри-Ланка": "LKA", "Мальдивы": "MDV", "Мьянма": "MMR", "Монголия": "MNG", "Непал": "NPL",
    "Пакистан": "PAK", "Катар": "QAT", "Россия": "RUS", "Саудовская Аравия": "SAU", "Таджикистан": "TJK",
    "Турция": "TUR", "Узбекистан": "UZB",
}
KGZ_WORLD = {"Всего"}
KGZ_AGGREGATES = {"ЕС", "СНГ", "ШОС", "ЕАЭС", "Европа", "Азия", "Америка", "Африка", "Австралия и Океания",
                  "Европейский союз (ЕС)"}
KGZ_OTHER = {"Китай (Сар Гонконг)", "Тайвань. Китайская провинция"}

#: Statistics Agency of Uzbekistan: codes that are not countries (``0`` = "Other countries").
UZB_AGGREGATES = {"0"}

#: Stems (lower case) that make a label look like one of our states: an unmapped label containing one stops
#: the build, and a mapped label must contain one of its own state's stems.
LOOKALIKE = {
    "AFG": ("афган",), "ARE": ("эмират", "оаэ"), "ARM": ("армени",), "AZE": ("азербайдж",), "BHR": ("бахрейн",),
    "BLR": ("беларус", "белорус"), "CHN": ("китай", "кнр"), "EGY": ("египет", "египт"), "IND": ("индия",),
    "IRN": ("иран",), "KAZ": ("казах",), "KGZ": ("кыргыз", "киргиз"), "KHM": ("камбодж",), "KWT": ("кувейт",),
    "LAO": ("лаос",), "LKA": ("шри-ланк", "шри ланк"), "MDV": ("мальдив",), "MMR": ("мьянм", "бирм"),
    "MNG": ("монгол",), "NPL": ("непал",), "PAK": ("пакистан",), "QAT": ("катар",), "RUS": ("росси",),
    "SAU": ("саудов",), "TJK": ("таджик",), "TUR": ("турци", "тюркие"), "UZB": ("узбек",),
}


class InputError(Exception):
    """A raw file does not look as expected."""


# --- checks and values ---------------------------------------------------------------------------------------


def _first_time(partner, seen: set, where: str) -> None:
    """Record a partner row; a partner listed twice in one table is an input error."""
    if partner is None:
        return
    if partner in seen:
        raise InputError(f"{where}: partner {partner} appears twice")
    seen.add(partner)

def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def verify_checksums(raw: Path) -> None:
    """Exit with status 2 and a one-line message unless every input matches ``SHA256SUMS``."""
    sums_file = raw / "SHA256SUMS"
    if not sums_file.exists():
        print(f"error: {sums_file} not found", file=sys.stderr)
        raise SystemExit(2)
    expected = {}
    for line in sums_file.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            expected[name.strip().lstrip("*")] = digest.lower()
    for name in INPUTS:
        path = raw / name
        if name not in expected:
            problem = "is not listed in SHA256SUMS"
        elif not path.exists():
            problem = "is missing"
        elif sha256(path) != expected[name]:
            problem = f"has sha256 {sha256(path)}, SHA256SUMS says {expected[name]}"
        else:
            continue
        print(f"error: {path} {problem}; refusing to build from unverified input", file=sys.stderr)
        raise SystemExit(2)


def label(value) -> str:
    """A row label with runs of whitespace (including no-break spaces and newlines) collapsed."""
    return " ".join(str(value).split()) if value is not None else ""


def thousands(value, where: str) -> Decimal | None:
    """A cell in thousand US$ -> Decimal, or None where the office publishes no value ('', '-', None)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return Decimal(repr(value))
    text = str(value).strip()
    if text in ("", "-"):
        return None
    try:
        return Decimal(text)
    except ArithmeticError:
        raise InputError(f"{where}: unreadable value {value!r}") from None


def whole_usd(value: Decimal) -> int:
    """Thousand US$ -> whole US$, rounded half up in decimal arithmetic (floats never enter)."""
    return int((value * 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def looks_like(text: str) -> list[str]:
    low = text.lower()
    return sorted(code for code, stems in LOOKALIKE.items() if any(stem in low for stem in stems))


def classify(text: str, names: dict, world: set, aggregates: set, other: set, where: str) -> str | None:
    """ISO3, ``WLD``, or None (an aggregate or a country that is not one of our states)."""
    if text in world:
        return WORLD
    if text in names:
        code = names[text]
        if code not in looks_like(text):
            raise InputError(f"{where}: label {text!r} is mapped to {code} but does not look like it")
        return code
    if text in aggregates or text in other:
        return None
    suspects = looks_like(text)
    if suspects:
        raise InputError(f"{where}: unmapped label {text!r} looks like {', '.join(suspects)}; "
                         "add it to the name table or to the list of other territories")
    return None


def check_sum(total: Decimal | None, parts: list[Decimal], tolerance: Decimal, where: str, *,
              shortfall_ok: bool = False) -> None:
    """The rows that are neither aggregates nor the total must add up to the published total.

    This is how an aggregate row missing from the skip-lists would be noticed: it would be counted twice.
    ``shortfall_ok``: the partner rows may add up to less than the total (the Kyrgyz tables leave part of
    the trade unallocated), never to more. The total itself is never replaced by the sum.
    """
    if total is None:
        return
    gap = sum(parts, Decimal(0)) - total
    if gap > tolerance or (gap < -tolerance and not shortfall_ok):
        raise InputError(f"{where}: partner rows sum to {sum(parts)} thousand US$, the total row says {total} "
                         f"(an aggregate row not in the skip-list?)")


# --- Kazakhstan ----------------------------------------------------------------------------------------------

def read_kaz(raw: Path) -> dict[tuple, dict]:
    """{(partner, flow, year): {"value": Decimal, "note": str}} from the BNS workbooks.

    Each workbook holds its own year and the year before; the later workbook's sheet is used for every year
    (e.g. 2021 from the 2022 edition), which is the office's latest figure in this set.
    """
    import xlrd

    sheets: dict[int, tuple[int, object, str]] = {}
    for name in KAZ_FILES:
        book = xlrd.open_workbook(str(raw / name))
        edition = int(re.search(r"(\d{4})", name).group(1))
        for sheet in book.sheets():
            match = re.fullmatch(r"(?:12_)?(\d{4})", sheet.name.strip())
            if not match:
                continue
            year = int(match.group(1))
            title = " ".join(label(sheet.cell_value(r, 0)) for r in range(min(3, sheet.nrows)))
            if str(year) not in title:
                raise InputError(f"{name} sheet {sheet.name}: title {title!r} does not name {year}")
            if year not in sheets or edition > sheets[year][0]:
                sheets[year] = (edition, sheet, name)
    out = {}
    for year, (_edition, sheet, name) in sorted(sheets.items()):
        where = f"{name} sheet {sheet.name}"
        header = next((r for r in range(min(10, sheet.nrows))
                       if label(sheet.cell_value(r, 3)).lower() == "экспорт"
                       and label(sheet.cell_value(r, 5)).lower() == "импорт"), None)
        if header is None:
            raise InputError(f"{where}: no header row with 'Экспорт' in column D and 'Импорт' in column F")
        cols = {"export": 3, "import": 5}
        totals = {flow: None for flow in cols}
        parts = {flow: [] for flow in cols}
        seen = set()
        for r in range(header + 1, sheet.nrows):
            text = label(sheet.cell_value(r, 0))
            if not text:
                continue
            values = {flow: thousands(sheet.cell_value(r, c), f"{where} row {r + 1}") for flow, c in cols.items()}
            if all(v is None for v in values.values()) and not isinstance(sheet.cell_value(r, 1), float):
                continue  # a heading or footnote line, not a data row
            partner = classify(text, KAZ_NAMES, KAZ_WORLD, KAZ_AGGREGATES, KAZ_OTHER, f"{where} row {r + 1}")
            _first_time(partner, seen, where)
            for flow, value in values.items():
                if partner == WORLD:
                    totals[flow] = value
                elif text not in KAZ_AGGREGATES and value is not None:
                    parts[flow].append(value)
                if partner is not None and value is not None:
                    out[(partner, flow, year)] = {"value": value, "note": ""}
        if WORLD not in seen:
            raise InputError(f"{where}: no total row")
        for flow in cols:
            check_sum(totals[flow], parts[flow], Decimal("1") + totals[flow] * Decimal("1e-6"), f"{where} {flow}")
    return out


# --- Kyrgyzstan ----------------------------------------------------------------------------------------------

def read_kgz(raw: Path) -> dict[tuple, dict]:
    """{(partner, flow, year): {"value", "note"}} from the NSC tables (one sheet, years in columns).

    A year heading with a footnote mark (``2023 1``) takes the footnote's text into ``note``.
    """
    import openpyxl

    out = {}
    for flow, name in KGZ_FILES.items():
        book = openpyxl.load_workbook(raw / name, data_only=True)
        sheet = book.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        book.close()
        where = name
        header = next((i for i, row in enumerate(rows[:10])
                       if sum(bool(re.fullmatch(r"\d{4}(\s+\d)?", label(c))) for c in row) > 10), None)
        if header is None:
            raise InputError(f"{where}: no row of year headings")
        years, marks = {}, {}
        for c, cell in enumerate(rows[header]):
            match = re.fullmatch(r"(\d{4})(?:\s+(\d))?", label(cell))
            if match:
                years[int(match.group(1))] = c
                if match.group(2):
                    marks[int(match.group(1))] = match.group(2)
        footnotes = {}
        for row in rows[header + 1:]:
            text = label(row[1] if len(row) > 1 else None)
            match = re.fullmatch(r"(\d)\s+(.+)", text)
            if match:
                footnotes[match.group(1)] = match.group(2)
        notes = {}
        for year, mark in marks.items():
            if mark not in footnotes:
                raise InputError(f"{where}: year {year} carries footnote {mark}, whose text was not found")
            if footnotes[mark].lower() != "предварительные данные":
                raise InputError(f"{where}: footnote {mark} on {year} reads {footnotes[mark]!r}; "
                                 "only 'Предварительные данные' (preliminary data) is known")
            notes[year] = (f"preliminary: the NSC table footnotes the {year} column "
                           "'Предварительные данные' (preliminary data)")
        totals = {year: None for year in years}
        parts = {year: [] for year in years}
        seen = set()
        for i, row in enumerate(rows[header + 1:], start=header + 2):
            text = label(row[1] if len(row) > 1 else None)
            if not text or re.fullmatch(r"\d\s+.+", text):
                continue
            partner = classify(text, KGZ_NAMES, KGZ_WORLD, KGZ_AGGREGATES, KGZ_OTHER, f"{where} row {i}")
            _first_time(partner, seen, where)
            for year, c in years.items():
                value = thousands(row[c] if c < len(row) else None, f"{where} row {i}")
                if partner == WORLD:
                    totals[year] = value
                elif text not in KGZ_AGGREGATES and value is not None:
                    parts[year].append(value)
                if partner is not None and value is not None:
                    out[(partner, flow, year)] = {"value": value, "note": notes.get(year, "")}
        if WORLD not in seen:
            raise InputError(f"{where}: no total row")
        for year in (*COMPARE_YEARS, *YEARS):
            check_sum(totals[year], parts[year], Decimal("1") + totals[year] * Decimal("1e-6"), f"{where} {year}",
                      shortfall_ok=True)
            share = sum(parts[year], Decimal(0)) / totals[year]
            if share < Decimal("0.99"):
                cell = out[(WORLD, flow, year)]
                cell["note"] = "; ".join(filter(None, [cell["note"], (
                    f"the partner rows of the NSC table add up to {100 * share:.1f} % of this total "
                    "(the rest is not allocated to a partner)")]))
    return out


# --- Uzbekistan ----------------------------------------------------------------------------------------------

def read_uzb(raw: Path, numeric_to_iso3: dict[str, str]) -> dict[tuple, dict]:
    """{(partner, flow, year): {"value", "note"}} from the SDMX-style CSVs, matched by ISO-numeric code.

    The files publish no world total, so there is no ``WLD`` row for Uzbekistan.
    """
    out = {}
    for flow, name in UZB_FILES.items():
        with (raw / name).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            years = [int(c) for c in reader.fieldnames if re.fullmatch(r"\d{4}", c)]
            if {"Code", "Klassifikator_ru"} - set(reader.fieldnames) or not years:
                raise InputError(f"{name}: expected columns Code, Klassifikator_ru and years, "
                                 f"found {reader.fieldnames}")
            seen = set()
            for i, row in enumerate(reader, start=2):
                code, text, where = row["Code"].strip(), label(row["Klassifikator_ru"]), f"{name} line {i}"
                if code in seen:
                    raise InputError(f"{where}: code {code} appears twice")
                seen.add(code)
                if code in UZB_AGGREGATES:
                    continue
                if not re.fullmatch(r"\d{3}", code):
                    raise InputError(f"{where}: code {code!r} is not ISO 3166-1 numeric")
                partner = numeric_to_iso3.get(code)
                if partner is None:
                    if looks_like(text):
                        raise InputError(f"{where}: code {code} ({text!r}) is not one of our states "
                                         f"but its name looks like {', '.join(looks_like(text))}")
                    continue
                if partner not in looks_like(text):
                    raise InputError(f"{where}: code {code} is {partner} in states.csv but is labelled {text!r}")
                for year in years:
                    value = thousands(row[str(year)], where)
                    if value is not None:
                        out[(partner, flow, year)] = {"value": value, "note": ""}
    return out


# --- output --------------------------------------------------------------------------------------------------

def read_states() -> dict[str, str]:
    with STATES.open(encoding="utf-8", newline="") as handle:
        return {row["iso_numeric"]: row["iso3"] for row in csv.DictReader(handle)}


def collect(raw: Path) -> dict[str, dict[tuple, dict]]:
    """Every year the files hold, per reporter: {reporter: {(partner, flow, year): {"value", "note"}}}."""
    numeric = read_states()
    data = {"KAZ": read_kaz(raw), "KGZ": read_kgz(raw), "UZB": read_uzb(raw, numeric)}
    ours = set(numeric.values()) | {WORLD}
    for reporter, cells in data.items():
        stray = {key[0] for key in cells} - ours
        if stray:
            raise InputError(f"{reporter}: partners {sorted(stray)} are not in states.csv")
        data[reporter] = {key: cell for key, cell in cells.items() if key[0] != reporter}
    return data


def build_rows(data: dict[str, dict[tuple, dict]]) -> tuple[list[dict], int]:
    rows, dropped = [], 0
    for reporter, cells in data.items():
        if reporter not in OUTPUT_REPORTERS:
            continue
        for (partner, flow, year), cell in cells.items():
            if year not in YEARS:
                continue
            value = whole_usd(cell["value"])
            if value < 0:
                raise InputError(f"{reporter} {partner} {flow} {year}: negative value {cell['value']}")
            if value == 0:
                dropped += 1  # published as 0 (or below half a dollar): no positive value to record
                continue
            notes = [BREAK_NOTE] if year == YEARS[0] else []
            if cell["note"]:
                notes.append(cell["note"])
            rows.append({"reporter_iso3": reporter, "partner_iso3": partner, "flow": flow, "year": year,
                         "value_usd": value, "valuation": VALUATION[flow], "is_estimate": "false",
                         "source_id": SOURCE_IDS[reporter], "note": "; ".join(notes)})
    rows.sort(key=lambda r: (r["reporter_iso3"], r["partner_iso3"], r["flow"], r["year"]))
    return rows, dropped


def write_rows(rows: list[dict], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_suffix(output.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(output)


# --- comparison with IMF DOTS ---------------------------------------------------------------------------------

def read_dots() -> dict[tuple, int]:
    with DOTS_TABLE.open(encoding="utf-8", newline="") as handle:
        return {(r["reporter_iso3"], r["partner_iso3"], r["flow"], int(r["year"])): int(r["value_usd"])
                for r in csv.DictReader(handle)
                if r["source_id"] == "imf_dots_2022" and r["reporter_iso3"] in SOURCE_IDS}


def comparison(data: dict[str, dict[tuple, dict]]) -> list[dict]:
    """Every (reporter, partner, flow, year) of 2018-2020 with a value in both DOTS and the national file."""
    dots = read_dots()
    out = []
    for reporter, cells in data.items():
        for (partner, flow, year), cell in cells.items():
            key = (reporter, partner, flow, year)
            if year in COMPARE_YEARS and key in dots and whole_usd(cell["value"]) > 0:
                national = whole_usd(cell["value"])
                out.append({"reporter": reporter, "partner": partner, "flow": flow, "year": year,
                            "dots": dots[key], "national": national,
                            "gap_pct": Decimal(100 * (national - dots[key])) / Decimal(dots[key])})
    out.sort(key=lambda r: (r["reporter"], r["partner"], r["flow"], r["year"]))
    return out


def comparison_markdown(rows: list[dict], pairs: list[tuple[str, str]], years=(2019, 2020)) -> str:
    def bn(value: int) -> str:
        return f"{Decimal(value) / Decimal(10**9):.3f}"

    lines = ["| pair | flow | year | DOTS (US$ bn) | national (US$ bn) | gap % |", "|---|---|---|---:|---:|---:|"]
    index = {(r["reporter"], r["partner"], r["flow"], r["year"]): r for r in rows}
    for reporter, partner in pairs:
        for flow in ("export", "import"):
            for year in years:
                r = index.get((reporter, partner, flow, year))
                if r:
                    lines.append(f"| {reporter}→{partner} | {flow} | {year} | {bn(r['dots'])} | {bn(r['national'])} "
                                 f"| {r['gap_pct']:+.1f} |")
    summary = ["", "| reporter | flow | year | pairs | DOTS sum | national sum | gap of sums % | median abs gap % |",
               "|---|---|---|---:|---:|---:|---:|---:|"]
    for reporter in SOURCE_IDS:
        for flow in ("export", "import"):
            for year in COMPARE_YEARS:
                group = [r for r in rows if (r["reporter"], r["flow"], r["year"]) == (reporter, flow, year)
                         and r["partner"] != WORLD]
                if not group:
                    continue
                d, n = sum(r["dots"] for r in group), sum(r["national"] for r in group)
                gaps = sorted(abs(r["gap_pct"]) for r in group)
                mid = len(gaps) // 2
                median = gaps[mid] if len(gaps) % 2 else (gaps[mid - 1] + gaps[mid]) / 2
                summary.append(f"| {reporter} | {flow} | {year} | {len(group)} | {bn(d)} | {bn(n)} "
                               f"| {Decimal(100 * (n - d)) / Decimal(d):+.1f} | {median:.1f} |")
    return "\n".join(lines + summary)


#: The pairs shown one by one in the README; the summary lines cover every partner in states.csv.
COMPARE_PAIRS = [("KAZ", "WLD"), ("KAZ", "CHN"), ("KAZ", "RUS"), ("KGZ", "WLD"), ("KGZ", "CHN"), ("KGZ", "RUS"),
                 ("UZB", "CHN"), ("UZB", "RUS")]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=RAW_DEFAULT, help="folder of the national statistics files")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="CSV to write")
    parser.add_argument("--compare", action="store_true", help="print the comparison with IMF DOTS instead")
    args = parser.parse_args(argv)
    verify_checksums(args.raw)
    try:
        data = collect(args.raw)
    except InputError as exc:
        raise SystemExit(f"error: {exc}") from None
    if args.compare:
        print(comparison_markdown(comparison(data), COMPARE_PAIRS))
        return
    rows, dropped = build_rows(data)
    write_rows(rows, args.output)
    shown = args.output.relative_to(PROJECT) if args.output.is_relative_to(PROJECT) else args.output
    print(f"{shown}: {len(rows)} rows ({dropped} published zeros left out)")


if __name__ == "__main__":
    main()
