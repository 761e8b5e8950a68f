"""report.html: one self-contained page a team lead can open anywhere and show to their manager.

No scripts, no web fonts, no images from elsewhere; a Content-Security-Policy forbids the page
from loading anything at all. Every piece of chat text is HTML-escaped.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from html import escape
from pathlib import Path

from ..core.labels import EMOTIONS
from . import charts

STYLE = """
*{box-sizing:border-box}
body{margin:0;background:#f4f6f9;color:#1f2a37;font:14px/1.45 "Segoe UI",system-ui,-apple-system,"Helvetica Neue",Arial,sans-serif}
header{background:linear-gradient(120deg,#1d3f7a,#2f6fdb);color:#fff;padding:28px 40px 70px}
header h1{margin:0;font-size:26px;font-weight:600;letter-spacing:.2px}
header p{margin:6px 0 0;opacity:.85}
main{max-width:1000px;margin:-48px auto 40px;padding:0 20px}
.kpis{display:grid;grid-template-columns:repeat(4,1fr);gap:14px}
.card{background:#fff;border-radius:10px;box-shadow:0 1px 3px rgba(16,24,40,.08),0 1px 2px rgba(16,24,40,.04);padding:18px 20px}
.kpi .value{font-size:30px;font-weight:700;margin-top:4px}
.kpi .label{color:#6b7785;font-size:12px;text-transform:uppercase;letter-spacing:.6px}
.kpi .sub{color:#6b7785;font-size:12px;margin-top:2px}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:14px;margin-top:14px}
section.card{margin-top:14px}
h2{font-size:16px;margin:0 0 4px;font-weight:600}
.hint{color:#6b7785;font-size:12px;margin:0 0 12px}
.mix{display:flex;gap:18px;align-items:center}
.legend{list-style:none;margin:0;padding:0;font-size:13px;flex:1}
.legend li{display:flex;align-items:center;gap:8px;padding:2px 0}
.legend .sw{width:10px;height:10px;border-radius:2px;flex:none}
.legend .n{margin-left:auto;color:#6b7785}
table{width:100%;border-collapse:collapse;font-size:13px}
th{text-align:left;color:#6b7785;font-weight:600;font-size:11px;text-transform:uppercase;letter-spacing:.5px;border-bottom:1px solid #e6e9ef;padding:6px 8px}
td{border-bottom:1px solid #f0f2f5;padding:8px;vertical-align:top}
td.num,th.num{text-align:right;white-space:nowrap}
.badge{display:inline-block;border-radius:10px;padding:1px 8px;font-size:11px;color:#fff;white-space:nowrap}
.quote{white-space:pre-wrap;word-break:break-word}
.reply{color:#6b7785;white-space:pre-wrap;word-break:break-word;margin-top:4px;border-left:3px solid #e6e9ef;padding-left:8px}
.muted{color:#6b7785}
details summary{cursor:pointer;font-weight:600}
footer{color:#6b7785;font-size:12px;text-align:center;margin:24px 0}
.findings{margin:0;padding-left:18px;font-size:14px}
.findings li{margin:4px 0}
.trendrow{display:flex;gap:10px;margin-top:10px;font-size:13px}
.trendrow span{flex:1;text-align:center;background:#f6f8fb;border-radius:8px;padding:8px}
.trendrow b{display:block;font-size:18px}
@media (max-width:760px){.kpis{grid-template-columns:1fr 1fr}.grid2{grid-template-columns:1fr}header{padding:20px 20px 60px}}
@media print{body{background:#fff}.card{box-shadow:none;border:1px solid #e6e9ef}}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def _when(iso: str) -> str:
    return iso[:16].replace("T", " ") + " UTC" if len(iso) >= 16 else iso


def _pct(rate: float | None) -> str:
    return "–" if rate is None else f"{rate:.0%}"


def _badge(emotion: str) -> str:
    colour = charts.EMOTION_COLOURS.get(emotion, charts.ACCENT)
    return f'<span class="badge" style="background:{colour}">{escape(emotion)}</span>'


def _kpi(label: str, value: str, sub: str = "", colour: str = "") -> str:
    style = f' style="color:{colour}"' if colour else ""
    return (f'<div class="card kpi"><div class="label">{escape(label)}</div><div class="value"{style}>{escape(value)}'
            f'</div><div class="sub">{escape(sub)}</div></div>')


def _by_week(days: list[dict]) -> list[dict]:
    weeks: dict[str, dict] = {}
    for day in days:
        moment = date.fromisoformat(day["day"])
        monday = (moment - timedelta(days=moment.weekday())).isoformat()
        week = weeks.setdefault(monday, {"day": monday, "conversations": 0, "upset": 0, "answered": 0,
                                         "acknowledged": 0})
        for key in ("conversations", "upset", "answered", "acknowledged"):
            week[key] += day[key]
    for week in weeks.values():
        week["acknowledgment_rate"] = week["acknowledged"] / week["answered"] if week["answered"] else None
    return [weeks[key] for key in sorted(weeks)]


def _weakest(rows: list[tuple[str, float | None, int]]):
    """The lowest rate among rows with enough moments to mean something (a fifth of the largest)."""
    if not rows:
        return None
    floor = max(1, max(n for _, _, n in rows) // 5)
    candidates = [row for row in rows if row[1] is not None and row[2] >= floor]
    return min(candidates, key=lambda row: row[1], default=None)


def _headlines(summary: dict, by_emotion, by_topic) -> list[str]:
    """Three or four plain sentences a lead can read out; HTML-escaped here."""
    items = []
    overall = summary["acknowledgment_rate"]["overall"]
    if overall is not None:
        items.append(f'<b>{overall:.0%}</b> of upset customers were acknowledged in the agent\'s next reply '
                     f'({summary["acknowledged"]:,} of {summary["answered_upset_moments"]:,}).')
    emotion, topic = _weakest(by_emotion), _weakest([row for row in by_topic if row[0] != "other"])
    if emotion and topic:
        items.append(f'Most often missed: customers feeling <b>{escape(emotion[0])}</b> ({emotion[1]:.0%} '
                     f'acknowledged) and conversations about <b>{escape(topic[0].replace("_", " "))}</b> '
                     f'({topic[1]:.0%}).')
    if summary["effective_phrases"]:
        best = summary["effective_phrases"][0]
        items.append(f'“{escape(best["text"])}” was followed by a calmer customer {best["calmer_rate"]:.0%} of '
                     f'the time ({best["uses"]:,} uses).')
    if summary["canned_phrases"]:
        canned = summary["canned_phrases"][0]
        items.append(f'“{escape(canned["text"])}” appears in {canned["share"]:.0%} of conversations: '
                     f'customers may hear it as a script.')
    return items


AGENT_ROWS = 30
FEW_MOMENTS = 5  # a rate on fewer moments than this says little about an agent: shown greyed


def _agent_section(summary: dict) -> str:
    """The per-agent table, or why there is none (a single "(unknown)" row would tell the lead nothing)."""
    rows = summary.get("by_agent") or {}
    if not rows:
        note = summary.get("by_agent_note") or "No agent answered an upset customer."
        return f'<p class="muted">{escape(note)}</p>'
    body = []
    for agent, row in list(rows.items())[:AGENT_ROWS]:
        rate = row["acknowledgment_rate"]
        few = ' class="muted"' if row["upset_moments"] < FEW_MOMENTS else ""
        meter = charts.meter(rate, width=80) + " " if rate is not None else ""
        body.append(f'<tr><td>{escape(agent)}</td><td class="num">{row["upset_moments"]:,}</td>'
                    f'<td style="white-space:nowrap"{few}>{meter}{_pct(rate)}</td>'
                    f'<td class="num">{row["missed"]:,}</td>'
                    f'<td class="num">{_duration(row["median_time_to_ack_s"])}</td>'
                    f'<td class="num">{row["conversations"]:,}</td></tr>')
    more = (f'<p class="muted">{len(rows) - AGENT_ROWS:,} more agent(s) in report.json.</p>'
            if len(rows) > AGENT_ROWS else "")
    return ('<table><tr><th>Agent</th><th class="num">Upset moments</th><th>Acknowledged</th>'
            '<th class="num">Missed</th><th class="num">Median time to acknowledge</th><th class="num">Chats</th></tr>'
            f'{"".join(body)}</table>{more}')


def render(summary: dict, meta: dict) -> str:
    rates = summary["acknowledgment_rate"]
    counts = summary["counts"]
    overall = rates["overall"]
    times = summary["time_to_ack_s"]
    period = meta.get("period") or {}
    period_text = (f'{period.get("first", "")} to {period.get("last", "")}' if period.get("first") else "no message times")
    if meta.get("timezone") and period.get("first"):
        period_text += f' (days in {meta["timezone"]})'
    files = ", ".join(os.path.basename(f) for f in meta.get("files", []))

    kpis = "".join([
        _kpi("Upset customers acknowledged", _pct(overall),
             f'{summary["acknowledged"]:,} of {summary["answered_upset_moments"]:,} upset moments',
             charts.rate_colour(overall) if overall is not None else ""),
        _kpi("Median time to acknowledge", _duration(times["median"]),
             f'90% within {_duration(times["p90"])}' if times["p90"] is not None else "no message times"),
        _kpi("Conversations", f'{summary["conversations"]:,}', f'{summary["messages"]:,} messages'),
        _kpi("Missed moments", f'{summary["missed"]:,}',
             f'{summary["unanswered_upset_moments"]:,} more never got a reply'),
    ])

    mix = summary["emotion_mix"]
    mix_total = sum(mix.values()) or 1
    legend = "".join(
        f'<li><span class="sw" style="background:{charts.EMOTION_COLOURS[e]}"></span>{escape(e)}'
        f'<span class="n">{mix.get(e, 0):,} · {mix.get(e, 0) / mix_total:.0%}</span></li>'
        for e in sorted(EMOTIONS, key=lambda e: -mix.get(e, 0)) if mix.get(e, 0))
    mix_svg = charts.donut([(e, mix.get(e, 0)) for e in EMOTIONS], centre_label=f"{sum(mix.values()):,}")

    by_emotion = [(e, r, counts["by_emotion"][e]["answered"]) for e, r in rates["by_emotion"].items()]
    by_emotion.sort(key=lambda row: -row[2])
    by_topic = [(t, r, counts["by_topic"][t]["answered"]) for t, r in rates["by_topic"].items()]
    by_topic.sort(key=lambda row: -row[2])

    days = [d for d in summary["by_day"] if d["conversations"]]
    trend_hint = "Bars: upset moments per day · line: share acknowledged"
    if len(days) > 90:  # a bar per day would be a hairline: weeks instead
        days = _by_week(days)
        trend_hint = "Bars: upset moments per week (labelled by its Monday) · line: share acknowledged"
    if len(days) >= 2:
        trend = charts.trend_chart(days)
    elif days:
        trend = f'<p class="muted">All conversations are from {escape(days[0]["day"])}: ' \
                f'{_pct(days[0]["acknowledgment_rate"])} acknowledged that day.</p>'
    else:
        trend = '<p class="muted">The input has no message times, so there is no trend over time.</p>'
    flows = summary["conversation_trends"]
    flow_total = sum(flows.values()) or 1
    flow_row = (f'<div class="trendrow"><span><b style="color:#2e9e6b">{flows["falling"] / flow_total:.0%}</b>'
                f'calmer by the end</span><span><b>{flows["steady"] / flow_total:.0%}</b>steady</span>'
                f'<span><b style="color:#d64545">{flows["rising"] / flow_total:.0%}</b>more upset by the end</span></div>')

    # One quote per conversation: the lead wants to see many agents' misses, not one bad chat.
    worst, seen = [], set()
    for moment in summary["worst_missed"]:
        if moment["conversation"] not in seen:
            seen.add(moment["conversation"])
            worst.append(moment)
    worst_rows = "".join(
        f'<tr><td>{_badge(w["emotion"])}<div class="muted" style="margin-top:4px">{w["intensity"]:.0%}</div></td>'
        f'<td><div class="quote">{escape(w["customer"])}</div><div class="reply">{escape(w["reply"])}</div></td>'
        f'<td class="muted">{escape(w["conversation"])}<br>message {w["message"]}'
        f'{"<br>" + escape(w["agent"]) if w.get("agent") else ""}</td></tr>'
        for w in worst[:12]) or '<tr><td colspan="3" class="muted">No missed moments.</td></tr>'

    effective_rows = "".join(
        f'<tr><td class="quote">{escape(p["text"])}</td><td style="white-space:nowrap">{charts.meter(p["calmer_rate"], width=80)} '
        f'{p["calmer_rate"]:.0%}</td><td class="num">{p["uses"]:,}</td></tr>'
        for p in summary["effective_phrases"][:10]) or \
        '<tr><td colspan="3" class="muted">Not enough acknowledgments followed by another customer message yet.</td></tr>'

    canned_rows = "".join(
        f'<tr><td class="quote">{escape(c["text"])}</td><td class="num">{c["share"]:.0%}</td>'
        f'<td class="num">{c["conversations"]:,}</td></tr>'
        for c in summary["canned_phrases"][:10]) or \
        '<tr><td colspan="3" class="muted">No agent sentence repeats across many conversations.</td></tr>'

    problems = summary["problems"]
    analyzer_notes = "".join(f'<p class="muted">Analyzer: {escape(w)}</p>' for w in meta.get("analyzer_warnings") or ())
    problem_items = "".join(
        f'<li>{escape(os.path.basename(p["file"]))}{":" + str(p["line"]) if p["line"] else ""}: '
        f'{escape(p["message"])}</li>' for p in problems["listed"][:200])
    problem_block = (f'<details><summary>{problems["count"]:,} input problem(s): skipped or guessed</summary>'
                     f'<ul class="muted">{problem_items}</ul></details>') if problems["count"] else \
        '<p class="muted">Every line of the input was read.</p>'

    headlines = _headlines(summary, by_emotion, by_topic)
    headline_block = (f'<section class="card"><h2>Key findings</h2><ul class="findings">'
                      f'{"".join(f"<li>{item}</li>" for item in headlines)}</ul></section>') if headlines else ""

    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Empathy audit · {escape(period_text)}</title>
<style>{STYLE}</style></head>
<body>
<header><h1>Empathy audit</h1>
<p>{summary["conversations"]:,} conversations · {escape(period_text)} · {escape(files)}</p></header>
<main>
<div class="kpis">{kpis}</div>
{headline_block}
<div class="grid2">
<section class="card" style="margin:0"><h2>How customers felt</h2><p class="hint">Emotion of each customer turn</p>
<div class="mix">{mix_svg}<ul class="legend">{legend}</ul></div>{flow_row}</section>
<section class="card" style="margin:0"><h2>Acknowledged, by emotion</h2>
<p class="hint">Share of upset moments whose next agent reply acknowledged the feeling</p>
{charts.rate_bars(by_emotion, colours=charts.EMOTION_COLOURS) if by_emotion else '<p class="muted">No upset moments.</p>'}</section>
</div>
<section class="card"><h2>Acknowledged, by topic</h2><p class="hint">What the upset customers wrote about</p>
{charts.rate_bars(by_topic, width=920, label_width=130, colours={t: charts.ACCENT for t, _, _ in by_topic}) if by_topic else '<p class="muted">No upset moments.</p>'}</section>
<section class="card"><h2>Over time</h2><p class="hint">{trend_hint}</p>
{trend}</section>
<section class="card"><h2>By agent</h2>
<p class="hint">Each upset moment counts for the agent who answered it: who acknowledged it, else who replied first.
Greyed rates rest on fewer than {FEW_MOMENTS} moments.</p>
{_agent_section(summary)}</section>
<section class="card"><h2>Worst missed moments</h2>
<p class="hint">The strongest feelings the next reply did not acknowledge (customer, then the agent's reply)</p>
<table><tr><th style="width:110px">Emotion</th><th>What was said</th><th style="width:150px">Where</th></tr>
{worst_rows}</table></section>
<div class="grid2">
<section class="card" style="margin:0"><h2>Phrases that calm customers</h2>
<p class="hint">Acknowledgments followed by a calmer customer message</p>
<table><tr><th>Phrase</th><th>Calmer after</th><th class="num">Uses</th></tr>{effective_rows}</table></section>
<section class="card" style="margin:0"><h2>Phrases that may sound canned</h2>
<p class="hint">The same agent sentence in many conversations</p>
<table><tr><th>Sentence</th><th class="num">Share</th><th class="num">Chats</th></tr>{canned_rows}</table></section>
</div>
<section class="card"><h2>Input</h2>{problem_block}{analyzer_notes}</section>
<footer>Made on this computer by assist {escape(meta.get("assist_version", ""))} on {escape(_when(meta.get("generated", "")))}.
This report quotes customer conversations: keep it private.</footer>
</main></body></html>
"""


def write(path: str | Path, summary: dict, meta: dict) -> Path:
    path = Path(path)
    partial = path.with_suffix(".html.partial")
    partial.write_text(render(summary, meta), encoding="utf-8")
    os.replace(partial, path)
    return path
