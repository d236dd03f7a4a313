"""Tables as files a reader downloads: CSV for spreadsheets, JSON for code.

Article text is untrusted: a CSV cell that starts like a formula ("=HYPERLINK(...)",
"+1", "-2", "@SUM") would run when the file is opened in a spreadsheet, so such text
cells get a leading apostrophe, which spreadsheets show as text (OWASP's advice for CSV
injection). JSON keeps every value as it is.
"""

from __future__ import annotations

import pandas as pd

EXPORT_FORMATS = {"csv": "text/csv", "json": "application/json"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV with a header, formula-like text cells made inert."""
    text_columns = [c for c in frame.columns
                    if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]
    safe = frame.copy()
    for column in text_columns:
        safe[column] = safe[column].map(_inert)
    return safe.to_csv(index=False).encode("utf-8")


def to_json(frame: pd.DataFrame) -> bytes:
    """The frame as a UTF-8 JSON array of objects, one per row; dates in ISO 8601."""
    return frame.to_json(orient="records", date_format="iso", force_ascii=False,
                         indent=1).encode("utf-8")


def export(frame: pd.DataFrame, file_format: str) -> bytes:
    """``frame`` in ``file_format`` ("csv" or "json")."""
    if file_format == "csv":
        return to_csv(frame)
    if file_format == "json":
        return to_json(frame)
    raise ValueError(f"file_format must be one of {tuple(EXPORT_FORMATS)}, not {file_format!r}")
