"""report.json and report.csv, written as conversations arrive.

Findings go to a scratch file in the output folder as they come (one JSON line each), so memory
holds no list of conversations. At the end, once we know which agent sentences are canned across
the whole input, one streaming pass turns the scratch file into report.json and report.csv; both
are written under a temporary name and renamed, so a half-written report never looks finished.
That pass also drops the details of all but the worst missed moments (details.py), and writes
without spaces between fields: together they keep a million-message report.json in bounds.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

from .details import DetailBudget, compact

SCRATCH = ".report-conversations.partial.jsonl"
FORMAT_VERSION = 2  # 2: moments carry "agent"; cues only on the worst missed moments
COMPACT = (",", ":")

CSV_FIELDS = (
    "id", "source", "agents", "start", "end", "messages", "customer_messages", "agent_messages", "customer_turns",
    "upset_moments", "acknowledged", "missed", "unanswered", "acknowledgment_rate", "median_time_to_ack_s",
    "start_emotion", "peak_emotion", "end_emotion", "trend", "topics", "canned_phrases", "repeated_phrases",
    "notes",
)


def spreadsheet_safe(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_row(findings: dict) -> dict:
    row = {}
    for name in CSV_FIELDS:
        value = findings.get(name)
        if name in ("topics", "notes", "agents"):
            value = "; ".join(value or ())
        elif name in ("canned_phrases", "repeated_phrases"):
            value = len(value or ())
        elif value is None:
            value = ""
        row[name] = spreadsheet_safe(value)
    return row


class ReportWriter:
    def __init__(self, out_dir: str | Path):
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.scratch_path = self.out_dir / SCRATCH
        self._scratch = open(self.scratch_path, "w", encoding="utf-8")
        self.written = 0
        self.details = DetailBudget()

    def add(self, findings: dict, sentence_keys) -> None:
        self.details.offer(self.written, findings)
        record = dict(findings, _sentences=sorted(sentence_keys))
        self._scratch.write(json.dumps(record, ensure_ascii=False, separators=COMPACT))
        self._scratch.write("\n")
        self.written += 1

    def finish(self, summary: dict, meta: dict) -> dict[str, Path]:
        """Write report.json and report.csv; returns their paths. `summary["canned_phrases"]` marks canned keys."""
        self._scratch.close()
        canned = {row["key"]: row["text"] for row in summary.get("canned_phrases", ())}
        json_path = self.out_dir / "report.json"
        csv_path = self.out_dir / "report.csv"
        json_tmp = json_path.with_suffix(".json.partial")
        csv_tmp = csv_path.with_suffix(".csv.partial")
        kept = self.details.kept()
        meta = dict(meta, details=self.details.describe(len(kept)))
        with open(self.scratch_path, encoding="utf-8") as scratch, \
                open(json_tmp, "w", encoding="utf-8") as out_json, \
                open(csv_tmp, "w", encoding="utf-8-sig", newline="") as out_csv:  # BOM: Excel reads UTF-8
            table = csv.DictWriter(out_csv, fieldnames=CSV_FIELDS)
            table.writeheader()
            out_json.write('{"format": %d,\n"meta": %s,\n"conversations": [\n'
                           % (FORMAT_VERSION, json.dumps(meta, ensure_ascii=False)))
            for position, line in enumerate(scratch):
                findings = compact(json.loads(line), position, kept)
                keys = findings.pop("_sentences")
                findings["canned_phrases"] = [canned[k] for k in keys if k in canned]
                if position:
                    out_json.write(",\n")
                out_json.write(json.dumps(findings, ensure_ascii=False, separators=COMPACT))
                table.writerow(csv_row(findings))
            out_json.write("\n],\n\"summary\": ")
            json.dump(summary, out_json, ensure_ascii=False, indent=1)
            out_json.write("\n}\n")
        os.replace(json_tmp, json_path)
        os.replace(csv_tmp, csv_path)
        self.scratch_path.unlink()
        return {"json": json_path, "csv": csv_path}

    def abandon(self) -> None:
        """Stop without a report (interrupted): remove the scratch file."""
        if not self._scratch.closed:
            self._scratch.close()
        self.scratch_path.unlink(missing_ok=True)
