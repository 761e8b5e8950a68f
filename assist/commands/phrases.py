"""`python -m assist phrases ...`: the agent's phrase library from the command line.

    phrases list [--json] [--source S] [--search TEXT]
    phrases add --text TEXT [--emotion E]... [--topic T]... [--intent I] [--abbrev A] [--tone T] [--length L]
    phrases edit ID [--text TEXT] [--emotion E]... [--topic T]... [--intent I] [--abbrev A] ...
    phrases remove ID | hide ID | unhide ID | favourite ID [--off]
    phrases stats [reset]
    phrases import FILE [--format F]
    phrases export FILE [--format F] [--all]
    phrases validate [--json]
Every change is saved at once (atomically, with a backup, merged with other running windows).
"""

from __future__ import annotations

import json
import sys

from ..core.labels import EMOTIONS, PHRASE_INTENTS, TOPICS
from ..phrases.interchange import FORMATS, InterchangeError, export_file, guess_intent, import_file
from ..phrases.library import load_library
from ..phrases.model import LENGTHS, SOURCES, TONES, EntryError, phrase_from_entry
from ..phrases.store import PersonalStore, StoreError
from ..phrases.usage import UsageStats


def _phrase_options(parser, *, editing: bool) -> None:
    parser.add_argument("--text", help="what is inserted; placeholders such as {customer_name} are filled")
    parser.add_argument("--emotion", action="append", choices=EMOTIONS, metavar="E",
                        help="an emotion it answers (repeat for several): " + ", ".join(EMOTIONS))
    parser.add_argument("--topic", action="append", choices=TOPICS, metavar="T",
                        help="a topic it fits (repeat for several): " + ", ".join(TOPICS))
    parser.add_argument("--intent", choices=PHRASE_INTENTS, metavar="I", help=", ".join(PHRASE_INTENTS))
    parser.add_argument("--abbrev", "--abbreviation", dest="abbrev", metavar="A",
                        help="a short word to find it by")
    parser.add_argument("--tone", choices=TONES)
    parser.add_argument("--length", choices=LENGTHS)
    parser.add_argument("--group", help="variants of one idea share a group")
    parser.add_argument("--note", help="a note for yourself; never inserted")
    if not editing:
        parser.add_argument("--id", help="an id of your choice (made from the text otherwise)")
        parser.add_argument("--favourite", action="store_true")


def register(subparsers) -> None:
    parser = subparsers.add_parser("phrases", help="list, add, edit, import and export your phrases",
                                   description="The phrase library: shipped, team and your own phrases.")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    p = sub.add_parser("list", help="show every phrase")
    p.add_argument("--json", action="store_true", help="a JSON array of phrase objects")
    p.add_argument("--source", choices=SOURCES, help="only phrases from this source")
    p.add_argument("--search", metavar="TEXT", help="only phrases whose text, id or abbreviation contains TEXT")

    _phrase_options(sub.add_parser("add", help="add a phrase of your own"), editing=False)
    p = sub.add_parser("edit", help="change a phrase (a shipped or team phrase gets your own version)")
    p.add_argument("id")
    _phrase_options(p, editing=True)

    for name, text in (("remove", "delete one of your phrases"), ("hide", "never offer this phrase"),
                       ("unhide", "offer a hidden phrase again")):
        sub.add_parser(name, help=text).add_argument("id")
    p = sub.add_parser("favourite", help="rank a phrase higher")
    p.add_argument("id")
    p.add_argument("--off", action="store_true", help="no longer a favourite")

    p = sub.add_parser("stats", help="which phrases you used (counts only, never chat text)")
    p.add_argument("what", nargs="?", choices=("show", "reset"), default="show")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("import", help="import phrases from a file")
    p.add_argument("file")
    p.add_argument("--format", choices=FORMATS, help="default: from the extension and content")
    p.add_argument("--json", action="store_true", help="the report as JSON")

    p = sub.add_parser("export", help="export phrases to a file")
    p.add_argument("file")
    p.add_argument("--format", choices=FORMATS, help="default: from the extension (.yaml, .csv)")
    p.add_argument("--all", action="store_true", help="every visible phrase, not only your own")

    p = sub.add_parser("validate", help="check the shipped, team and your own phrase files")
    p.add_argument("--json", action="store_true")


def _err(message: str) -> None:
    print(f"assist phrases: {message}", file=sys.stderr)


def _show_problems(library) -> None:
    for problem in library.problems:
        _err(f"warning: {problem}")


def run(args, paths) -> int:
    action = args.action.replace("-", "_")
    try:
        return ACTIONS[action](args, paths)
    except (EntryError, StoreError, InterchangeError) as exc:
        _err(str(exc))
        return 1
    except BrokenPipeError:  # `phrases list | head`: the reader has what it wanted
        sys.stderr.close()
        return 0


def _list(args, paths) -> int:
    library = load_library(paths)
    phrases = sorted(library.phrases.values(), key=lambda p: ({"personal": 0, "team": 1, "shipped": 2}[p.source], p.id))
    if args.source:
        phrases = [p for p in phrases if p.source == args.source]
    if args.search:
        wanted = {p.id for p in library.search(args.search)}
        phrases = [p for p in phrases if p.id in wanted]
    if args.json:
        json.dump([p.to_dict() for p in phrases], sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for p in phrases:
            flags = ("★" if p.favourite else " ") + ("h" if p.hidden else " ")
            abbrev = f" [{p.abbreviation}]" if p.abbreviation else ""
            text = p.text if len(p.text) <= 90 else p.text[:87] + "..."
            print(f"{flags} {p.source:<8} {p.id}{abbrev}  ({p.intent}): {text}")
        print(f"{len(phrases)} phrases", file=sys.stderr)
    _show_problems(library)
    return 0


def _entry_from_args(args, base: dict | None = None) -> dict:
    entry = dict(base or {})
    if args.text is not None:
        entry["text"] = args.text
    if args.emotion is not None:
        entry["emotions"] = list(args.emotion)
    if args.topic is not None:
        entry["topics"] = list(args.topic)
    for key, value in (("intent", args.intent), ("abbreviation", args.abbrev), ("tone", args.tone),
                       ("length", args.length), ("group", args.group), ("note", args.note)):
        if value is not None:
            entry[key] = value
    return entry


def _add(args, paths) -> int:
    if args.text is None:
        _err("--text is required")
        return 2
    entry = _entry_from_args(args)
    if args.id:
        entry["id"] = args.id
    if args.favourite:
        entry["favourite"] = True
    guessed = "intent" not in entry
    if guessed:
        entry["intent"] = guess_intent(args.text)
    library = load_library(paths)
    store = PersonalStore(paths.data)
    if "id" in entry and entry["id"] in library.phrases and library.phrases[entry["id"]].source != "personal":
        _err(f"{entry['id']} is a {library.phrases[entry['id']].source} phrase; use 'phrases edit {entry['id']}' "
             "to make your own version of it")
        return 1
    phrase = store.add(entry, taken=library.phrases)
    print(f"added {phrase.id}" + (f" (intent guessed: {phrase.intent}; change it with --intent)" if guessed else ""))
    return 0


def _edit(args, paths) -> int:
    library = load_library(paths)
    current = library.get(args.id)
    if current is None:
        _err(f"no phrase with id {args.id!r} (see 'phrases list')")
        return 1
    entry = _entry_from_args(args, current.to_entry())
    phrase, _ = phrase_from_entry(entry, "personal")
    if phrase.with_(favourite=current.favourite) == current.with_(source="personal"):
        print(f"{args.id}: nothing to change")
        return 0
    PersonalStore(paths.data).put(phrase)
    if current.source != "personal":
        print(f"{args.id}: saved as your own version (the {current.source} one stays underneath; "
              f"'phrases remove {args.id}' brings it back)")
    else:
        print(f"{args.id}: saved")
    return 0


def _remove(args, paths) -> int:
    library = load_library(paths)
    store = PersonalStore(paths.data)
    if store.remove(args.id):
        below = library.overrides(args.id)
        print(f"removed {args.id}" + (f"; the {below[-1]} phrase with this id is offered again" if below else ""))
        return 0
    if args.id in library.phrases:
        _err(f"{args.id} is a {library.phrases[args.id].source} phrase, not yours; "
             f"use 'phrases hide {args.id}' to stop seeing it")
    else:
        _err(f"no phrase with id {args.id!r}")
    return 1


def _known(paths, phrase_id) -> bool:
    if phrase_id in load_library(paths).phrases:
        return True
    _err(f"no phrase with id {phrase_id!r} (see 'phrases list')")
    return False


def _hide(args, paths) -> int:
    if not _known(paths, args.id):
        return 1
    changed = PersonalStore(paths.data).set_hidden(args.id, True)
    print(f"{args.id}: hidden" + ("" if changed else " already"))
    return 0


def _unhide(args, paths) -> int:
    changed = PersonalStore(paths.data).set_hidden(args.id, False)
    print(f"{args.id}: " + ("offered again" if changed else "was not hidden"))
    return 0


def _favourite(args, paths) -> int:
    if not _known(paths, args.id):
        return 1
    PersonalStore(paths.data).set_favourite(args.id, not args.off)
    print(f"{args.id}: " + ("no longer a favourite" if args.off else "favourite"))
    return 0


def _stats(args, paths) -> int:
    stats = UsageStats(paths.data)
    for problem in stats.problems:
        _err(problem)
    if args.what == "reset":
        stats.reset()
        print("usage statistics reset")
        return 0
    rows = sorted(stats.all().items(), key=lambda item: (-item[1].count, item[0]))
    if args.json:
        json.dump([{"id": i, "count": u.count, "last": u.last} for i, u in rows], sys.stdout, indent=1)
        print()
    else:
        import time

        for phrase_id, used in rows:
            print(f"{used.count:5d}  {time.strftime('%Y-%m-%d %H:%M', time.localtime(used.last))}  {phrase_id}")
        if not rows:
            print("no phrase used yet")
    return 0


def _import(args, paths) -> int:
    library = load_library(paths)
    store = PersonalStore(paths.data)
    report = import_file(args.file, library, store, args.format)
    if args.json:
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(f"imported {len(report.taken)} phrase(s) from {args.file} ({report.format}); "
              f"skipped {len(report.skipped)}")
        for phrase_id, note in report.taken:
            print(f"  took    {phrase_id}" + (f": {note}" if note else ""))
        for where, reason in report.skipped:
            print(f"  skipped {where}: {reason}")
    return 0


def _export(args, paths) -> int:
    library = load_library(paths)
    if args.all:
        phrases = sorted(library.visible(), key=lambda p: p.id)
    else:
        phrases = sorted((library.phrases[p.id] for p in PersonalStore(paths.data).phrases), key=lambda p: p.id)
    values = {"agent_name": library.agent_name} if library.agent_name else {}
    fmt = export_file(phrases, args.file, args.format, values)
    note = "" if fmt in ("yaml", "csv") else " (placeholders filled with what is known; unknown parts left out)"
    print(f"exported {len(phrases)} phrase(s) to {args.file} ({fmt}){note}")
    return 0


def _validate(args, paths) -> int:
    library = load_library(paths)
    problems = library.problems
    if args.json:
        json.dump({"ok": not problems, "phrases": len(library.phrases),
                   "problems": [p.to_dict() for p in problems]}, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for problem in problems:
            print(str(problem))
        print(f"{len(library.phrases)} phrases loaded; " +
              ("no problems" if not problems else f"{len(problems)} problem(s)"))
    return 0 if not problems else 1


ACTIONS = {"list": _list, "add": _add, "edit": _edit, "remove": _remove, "hide": _hide, "unhide": _unhide,
           "favourite": _favourite, "stats": _stats, "import": _import, "export": _export, "validate": _validate}

