"""Runs the analyzer over conversations on every core, in input order, in bounded memory.

Conversations go out in chunks of a few hundred messages to a pool of worker processes, each
holding one Analyzer (spaCy pipelines are not shared between processes). At most a few chunks per
worker are in flight, so a huge input is never read ahead into memory. Each worker returns the
per-conversation findings, already computed, so the main process only aggregates and writes.
The pool itself (`ordered_map`) is not audit-specific: `python -m assist analyze` runs its big
inputs through it too.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterable, Iterator

from .findings import Extras, analyse_conversation
from .model import Conversation
from .turns import build_turns

log = logging.getLogger(__name__)

CHUNK_MESSAGES = 512
IN_FLIGHT_PER_WORKER = 3
BATCH_SIZE = 256

Result = tuple[dict, Extras]


def default_analyzer():
    from .. import Analyzer

    return Analyzer()


def analyse_chunk(conversations: list[Conversation], analyzer, batch_size: int = BATCH_SIZE) -> list[Result]:
    """Findings for each conversation, in order. A conversation the analyzer fails on gets a note, not a crash."""
    turns = [build_turns(conversation) for conversation in conversations]
    items = [turn.item(conversation) for conversation, its_turns in zip(conversations, turns) for turn in its_turns]
    try:
        # One batch for the whole chunk: a conversation's history is then analysed once, with it.
        analyses = list(analyzer.analyze_many(items, batch_size=max(batch_size, len(items))))
    except Exception as exc:  # one bad conversation must not cost the whole chunk: retry one by one
        if len(conversations) == 1:
            # The type only: an exception message could quote the chat.
            log.error("analysis failed for the conversation at %s (%s)", conversations[0].source,
                      type(exc).__name__)
            return [_failed(conversations[0], turns[0])]
        return [result for conversation in conversations for result in analyse_chunk([conversation], analyzer, batch_size)]
    results = []
    position = 0
    for conversation, its_turns in zip(conversations, turns):
        its_analyses = analyses[position:position + len(its_turns)]
        position += len(its_turns)
        results.append(analyse_conversation(conversation, its_turns, its_analyses))
    return results


def _failed(conversation: Conversation, turns) -> Result:
    # replace(), not a new Conversation: the agent ids stay, so the chat still counts for its agents.
    failed = dataclasses.replace(conversation, notes=conversation.notes + (
        "analysis failed; conversation counted but not analysed",))
    return analyse_conversation(failed, [], [])


def chunked(conversations: Iterable[Conversation], size: int = CHUNK_MESSAGES) -> Iterator[list[Conversation]]:
    chunk: list[Conversation] = []
    messages = 0
    for conversation in conversations:
        chunk.append(conversation)
        messages += len(conversation.messages)
        if messages >= size:
            yield chunk
            chunk, messages = [], 0
    if chunk:
        yield chunk


_worker_state = None  # what this worker process works with (an Analyzer for the audit)


def _loaded(state):
    load = getattr(state, "load", None)
    if load is not None:
        load()  # load now, not inside the first chunk
    return state


def _collect_warnings(state, warnings: list | None) -> None:
    if warnings is not None:
        warnings.extend(str(w) for w in getattr(state, "warnings", ()) or ())


def _init_worker(factory: Callable) -> None:
    global _worker_state
    _worker_state = _loaded(factory())


def _work(work: Callable, chunk):
    return work(chunk, _worker_state)


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # Windows, macOS
        return max(1, os.cpu_count() or 1)


def ordered_map(work: Callable, chunks: Iterable, *, workers: int | None = None,
                factory: Callable = default_analyzer, state=None, start_method: str | None = None,
                warnings: list | None = None, idle: Callable[[], bool] | None = None) -> Iterator:
    """`work(chunk, state)` for every chunk, in input order, on `workers` processes (default: every core).

    `work` is a module-level function (it travels to the workers by name). `state` is what it works
    with, loaded once per process: an Analyzer, or anything with an optional `load()` and `warnings`.
    Spawned workers make theirs with `factory()`; forked workers inherit this process's: `state` when
    given, else one made here. At most IN_FLIGHT_PER_WORKER chunks per worker are in flight, so a huge
    input is never read ahead into memory. `idle()`, when given, is asked after each chunk goes out:
    true means no more input is ready, so every result in flight is handed out now (whoever sends the
    input may be waiting for them). `warnings` receives the state's own warnings (e.g. "emotion model
    not found") where this process can see them. `start_method` overrides the platform's way of
    starting processes (tests use "spawn", as on Windows).
    """
    workers = workers or default_workers()
    if workers == 1:
        if state is None:
            state = _loaded(factory())
        _collect_warnings(state, warnings)
        for chunk in chunks:
            yield work(chunk, state)
        return
    global _worker_state
    context = multiprocessing.get_context(start_method)
    if context.get_start_method() == "fork":
        # Load once here; forked workers inherit the ready pipeline instead of each importing spaCy
        # and reading the model again (seconds per worker on a busy machine).
        _worker_state = state if state is not None else _loaded(factory())
        _collect_warnings(_worker_state, warnings)
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    else:  # spawn / forkserver (Windows, macOS): each worker builds its own
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                                   initargs=(factory,))
    finished = False
    try:
        pending: deque = deque()
        for chunk in chunks:
            pending.append(pool.submit(_work, work, chunk))
            while pending and (len(pending) >= workers * IN_FLIGHT_PER_WORKER or pending[0].done()
                               or (idle is not None and idle())):
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
        finished = True
    finally:
        # Interrupted or failed: drop the queued chunks instead of analysing them for nobody.
        pool.shutdown(wait=True, cancel_futures=not finished)
        _worker_state = None


def _timed_chunk(chunk: list[Conversation], analyzer) -> tuple[list[Result], float]:
    started = time.perf_counter()
    results = analyse_chunk(chunk, analyzer)
    return results, time.perf_counter() - started


def run(conversations: Iterable[Conversation], *, workers: int | None = None,
        analyzer_factory: Callable = default_analyzer, chunk_messages: int = CHUNK_MESSAGES,
        chunk_seconds: list | None = None, warnings: list | None = None,
        start_method: str | None = None) -> Iterator[Result]:
    """(findings, extras) for every conversation, in input order (see `ordered_map` for the options).

    `chunk_seconds`, when given, receives how long each chunk took to analyse (for benchmarks).
    """
    for results, seconds in ordered_map(_timed_chunk, chunked(conversations, chunk_messages), workers=workers,
                                        factory=analyzer_factory, warnings=warnings, start_method=start_method):
        if chunk_seconds is not None:
            chunk_seconds.append(seconds)
        yield from results
