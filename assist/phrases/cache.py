"""A checked copy of each phrase file, so starting assist does not parse and check 5,000 phrases again.

Like Python's .pyc: kept in the cache folder, keyed by the file's size, modification time and
inode (a save replaces the file, so any change gives a new key) and by the code that checks
entries. Anything odd about the cache (missing, stale, unreadable) means the file is read again;
the cache is never the only copy of anything.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .. import __version__
from .fileformat import SCHEMA_VERSION, PhraseFile
from .model import Phrase, Problem

CACHE_FORMAT = 1
_CODE = [Path(__file__).with_name(name) for name in ("model.py", "template.py", "fileformat.py", "cache.py")]


def _key(path: Path, source: str) -> list | None:
    try:
        st = path.stat()
        code = [int(p.stat().st_mtime_ns) for p in _CODE]
    except OSError:
        return None
    return [CACHE_FORMAT, SCHEMA_VERSION, __version__, source, str(path.resolve()), st.st_size, st.st_mtime_ns,
            st.st_ino, code]


def _cache_file(cache_dir: Path, path: Path) -> Path:
    digest = hashlib.sha1(str(Path(path).resolve()).encode("utf-8")).hexdigest()[:20]
    return Path(cache_dir) / f"phrases-{digest}.json"


def load(cache_dir: Path, path: Path, source: str) -> PhraseFile | None:
    key = _key(path, source)
    if key is None:
        return None
    try:
        data = json.loads(_cache_file(cache_dir, path).read_text(encoding="utf-8"))
        if data.get("key") != key:
            return None
        # Positional, in Phrase's field order: this loop is most of a warm start.
        phrases = [Phrase(i, t, n, tuple(e), tuple(o), tn, ln, g, a, f, False, source, nt)
                   for i, t, n, e, o, tn, ln, g, a, f, nt in data["phrases"]]
        problems = [Problem(file, message, line, entry, fatal) for file, message, line, entry, fatal in data["problems"]]
        document = {"schema_version": SCHEMA_VERSION, "phrases": [], "hidden": data["hidden"],
                    "favourites": data["favourites"]}
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return PhraseFile(path=Path(path), phrases=phrases, document=document, problems=problems, from_cache=True)


def store(cache_dir: Path, path: Path, source: str, result: PhraseFile) -> None:
    key = _key(path, source)
    if key is None:
        return
    data = {
        "key": key,
        "phrases": [[p.id, p.text, p.intent, list(p.emotions), list(p.topics), p.tone, p.length, p.group,
                     p.abbreviation, p.favourite, p.note] for p in result.phrases],
        "problems": [[p.file, p.message, p.line, p.entry, p.fatal] for p in result.problems],
        "hidden": result.id_list("hidden"),
        "favourites": result.id_list("favourites"),
    }
    target = _cache_file(cache_dir, path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass  # a cache that cannot be written only costs time
