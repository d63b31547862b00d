"""What notebooks display: tables, records and citations that read well both as text and on a report page.

Each object has two faces. As text (``repr``, what nbval compares and a
terminal shows) a :class:`Table` is the frame's aligned ``to_string`` and
:class:`Citations` one ``[source_id] citation`` line per source. As HTML
(``_repr_html_``, what JupyterLab and the report page show) they are a styled
table that scrolls in its own box at phone width, and a list of citations whose
titles link to the source. The HTML comes from the Jinja templates of the site
(autoescaped), never from string concatenation; it is deterministic, so
committed notebooks stay reproducible.
"""

from __future__ import annotations

import html
import math
import numbers

import pandas as pd

from ..data import cite, load_sources
from ..errors import ParameterError
from ..params import day_in_words
from .site import templates


def _decimals(values) -> int:
    """Decimals to show for a float column: as many as its most precise (rounded) value, at most six."""
    most = 0
    for value in values:
        if isinstance(value, float) and math.isfinite(value):
            text = repr(round(value, 6))
            if "e" not in text and "." in text:
                most = max(most, len(text.split(".")[1].rstrip("0")))
    return most


def _cell(value, decimals: int, numeric: bool) -> dict:
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return {"text": "–", "css": "num na" if numeric else "na"}
    if isinstance(value, bool):
        return {"text": "yes" if value else "no", "css": ""}
    if isinstance(value, numbers.Integral):
        return {"text": str(value), "css": "num"}
    if isinstance(value, float):
        return {"text": f"{value:.{decimals}f}", "css": "num"}
    if isinstance(value, pd.Timestamp):
        return {"text": value.date().isoformat() if value == value.normalize() else value.isoformat(), "css": ""}
    return {"text": str(value), "css": ""}


class Table:
    """A DataFrame for a report: an HTML table on the page, the frame's ``to_string`` as text.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows to show, already rounded as they should read.
    index : bool
        Show the index as the first column (its name as the header).
    caption : str, optional
        A line above the table (also the name screen readers give its scrolling box).
    empty : str, optional
        The sentence shown instead when the frame has no rows (a table of headers alone says nothing).

    Examples
    --------
    >>> table = Table(pd.DataFrame({"year": [2016, 2017], "share_pct": [2.5, 3.25]}))
    >>> print(repr(table))
     year  share_pct
     2016       2.50
     2017       3.25
    >>> "<td class=\\"num\\">2.50</td>" in table._repr_html_()
    True
    >>> print(repr(Table(table.frame.iloc[:0], empty="No year yet.")))
    No year yet.
    """

    def __init__(self, frame: pd.DataFrame, *, index: bool = False, caption: str | None = None,
                 empty: str | None = None):
        if not isinstance(frame, pd.DataFrame):
            raise ParameterError("frame", type(frame).__name__, "a pandas DataFrame")
        self.frame, self.index, self.caption, self.empty = frame, index, caption, empty

    def __repr__(self) -> str:
        if self.frame.empty and self.empty:
            return self.empty
        return self.frame.to_string(index=self.index)

    def _repr_html_(self) -> str:
        if self.frame.empty and self.empty:
            return f'<p class="empty-table">{html.escape(self.empty)}</p>'
        frame = self.frame.reset_index() if self.index else self.frame
        numeric = [pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
                   for c in frame.columns]
        decimals = [_decimals(frame[c].tolist()) if n else 0 for c, n in zip(frame.columns, numeric)]
        long_text = [not n and frame[c].astype("string").str.len().fillna(0).max() > 30 for c, n in zip(frame.columns, numeric)]
        columns = [{"label": str(c).replace("_", " "), "numeric": n} for c, n in zip(frame.columns, numeric)]
        rows = []
        for values in frame.itertuples(index=False, name=None):
            cells = [_cell(v, d, n) for v, d, n in zip(values, decimals, numeric)]
            for cell, is_long in zip(cells, long_text):
                if is_long:  # wraps in a column wide enough to read, the table scrolls instead
                    cell["css"] = (cell["css"] + " long").strip()
            if self.index:
                cells[0] = {**cells[0], "header": True}
            rows.append(cells)
        return templates().get_template("table.html.j2").render(columns=columns, rows=rows, caption=self.caption)


class Records:
    """Rows read one at a time (a claim with its reading and source): a heading and the fields of each row.

    As text, each row is a ``heading: BADGE`` line followed by one indented ``field: value`` line per
    non-empty field; on the page, a heading with a badge and a list of fields that wraps at any width.

    Parameters
    ----------
    rows : pandas.DataFrame or list of dict
        One record per row; the column names are the field labels.
    heading : str
        The column whose value heads each record.
    badge : str, optional
        A column shown beside the heading (upper case in the text).
    source : str, optional
        A column of ``source_id`` values, linked to their entry in the page's :class:`Citations`.

    Examples
    --------
    >>> rows = [{"claim": "ten_members_2025", "verdict": "supported", "value": "10 states", "source": "tass_2025_chair"}]
    >>> print(repr(Records(rows, heading="claim", badge="verdict", source="source")))
    ten_members_2025: SUPPORTED
      value: 10 states
      source: [tass_2025_chair]
    """

    def __init__(self, rows, *, heading: str, badge: str | None = None, source: str | None = None):
        frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
        for name in (heading, badge, source):
            if name is not None and name not in frame.columns:
                raise ParameterError("column", name, "one of " + ", ".join(map(str, frame.columns)))
        self.frame, self.heading, self.badge, self.source = frame, heading, badge, source

    def _records(self) -> list[dict]:
        records = []
        for row in self.frame.to_dict("records"):
            fields = [{"label": str(name), "value": str(value), "source": name == self.source}
                      for name, value in row.items() if name not in (self.heading, self.badge)
                      and not (value is None or (isinstance(value, float) and math.isnan(value)) or value == "")]
            records.append({"heading": str(row[self.heading]), "badge": str(row[self.badge]) if self.badge else "",
                            "fields": fields})
        return records

    def __repr__(self) -> str:
        lines = []
        for record in self._records():
            lines.append(record["heading"] + (f": {record['badge'].upper()}" if record["badge"] else ""))
            lines += [f"  {f['label']}: " + (f"[{f['value']}]" if f["source"] else f["value"]) for f in record["fields"]]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return templates().get_template("records.html.j2").render(records=self._records())


class Citations:
    """The sources behind a section: linked citations (publisher, title, date) on the page, ``cite`` lines as text.

    Parameters
    ----------
    source_ids : iterable of str
        ``source_id`` values, in the order to list them (repeats and ``;``-separated lists are fine).

    Raises
    ------
    ParameterError
        For an id that is not in ``data/sources.csv``.

    Examples
    --------
    >>> sources = Citations(["imf_dots_2022", "imf_dots_2022"])
    >>> repr(sources).startswith("[imf_dots_2022] International Monetary Fund")
    True
    >>> '<a href="https://data.imf.org/" rel="noopener">' in sources._repr_html_()
    True
    """

    def __init__(self, source_ids):
        if isinstance(source_ids, str):
            source_ids = [source_ids]
        ordered: list[str] = []
        for value in source_ids:
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            for part in str(value).split(";"):
                if part.strip() and part.strip() not in ordered:
                    ordered.append(part.strip())
        known = set(load_sources()["source_id"])
        for source_id in ordered:
            if source_id not in known:
                raise ParameterError("source_ids", source_id, f"one of the {len(known)} ids in data/sources.csv")
        self.source_ids = ordered

    def __repr__(self) -> str:
        return "\n".join(f"[{source_id}] {cite(source_id)}" for source_id in self.source_ids)

    def _repr_html_(self) -> str:
        table = load_sources().set_index("source_id")
        citations = []
        for source_id in self.source_ids:
            row = table.loc[source_id]
            url = "" if pd.isna(row["url"]) else str(row["url"])
            citations.append({
                "source_id": source_id, "publisher": row["publisher"], "title": row["title"],
                "url": url if url.startswith(("https://", "http://")) else "",
                "published": "undated" if pd.isna(row["published"]) else day_in_words(row["published"].date()),
                "accessed": day_in_words(row["accessed"].date())})
        return templates().get_template("citations.html.j2").render(citations=citations)
