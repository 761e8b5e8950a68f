"""The Analyzer recycles its spaCy pipeline once the vocab has learned `string_limit` strings: memory
stays bounded over a long batch of unique words, and no result changes."""

from __future__ import annotations

import logging
import random
import string
import threading

import pytest

from assist import Analyzer
from assist.core import analyzer as analyzer_module
from assist.core import pipeline as pipeline_module

LIMIT = 300
DRAFTS = ("I'm so sorry about the wait, I understand how frustrating this is.", "Thanks for your patience!",
          "Sorry, could you send your order number?", "")
PHRASES = ("Order {} still hasn't arrived, third time asking!!", "Refund {} to {} NOW or I cancel.",
           "I'm confused, what does error {} mean? {}", "Thanks {}, all sorted :)", "{} {} is not working again")


def unique_word(rng: random.Random) -> str:
    kind = rng.randrange(3)
    if kind == 0:
        return "#" + "".join(rng.choices(string.ascii_uppercase + string.digits, k=8))
    if kind == 1:
        return "".join(rng.choices(string.ascii_lowercase, k=7)) + f"{rng.randrange(10**5)}@example.com"
    return "".join(rng.choice("bcdfgklmnprstvz") + rng.choice("aeiou") for _ in range(4))  # a made-up name


def items(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        phrase = rng.choice(PHRASES)
        customer = phrase.format(*(unique_word(rng) for _ in range(phrase.count("{}"))))
        item = {"customer": customer, "draft": DRAFTS[i % len(DRAFTS)] + (f" {unique_word(rng)}" if i % 3 else "")}
        if i % 4 == 0:
            item["history"] = [f"Where is {unique_word(rng)}?", "Still waiting..."]
        out.append(item)
    return out


def as_dicts(analyses) -> list[dict]:
    return [a.to_dict() for a in analyses]


@pytest.fixture(scope="module")
def batch() -> list[dict]:
    return items(400, seed=1)


@pytest.fixture(scope="module")
def reference(batch) -> list[dict]:
    return as_dicts(Analyzer(string_limit=0).analyze_many(batch, batch_size=32))


def test_a_small_limit_bounds_the_vocab_and_changes_no_result(batch, reference):
    analyzer = Analyzer(string_limit=LIMIT).load()
    base = len(analyzer.nlp.vocab.strings)
    seen = []
    for analysis in analyzer.analyze_many(batch, batch_size=32):
        seen.append(analysis.to_dict())
        # Checked after every batch: a batch may pass the limit, the next one starts afresh.
        assert len(analyzer.nlp.vocab.strings) <= base + LIMIT
    assert seen == reference
    assert analyzer.recycles >= 3
    unbounded = Analyzer(string_limit=0)
    list(unbounded.analyze_many(batch, batch_size=32))
    assert len(unbounded.nlp.vocab.strings) > base + 3 * LIMIT and unbounded.recycles == 0


def test_one_message_at_a_time_recycles_too_with_the_same_results(batch):
    bounded, unbounded = Analyzer(string_limit=LIMIT), Analyzer(string_limit=0)
    for item in batch[:150]:
        assert bounded.analyze(**item).to_dict() == unbounded.analyze(**item).to_dict()
        assert bounded._pipeline.learned_strings <= LIMIT
    assert bounded.recycles >= 1


def test_the_default_limit_comes_from_the_module(monkeypatch, batch):
    monkeypatch.setattr(analyzer_module, "STRING_LIMIT", 50)
    analyzer = Analyzer()
    assert analyzer.string_limit == 50
    list(analyzer.analyze_many(batch[:40]))
    assert analyzer.recycles == 1  # one batch of 40 passes 50 strings once


def test_a_recycle_reuses_the_loaded_model_and_logs_counts_only(monkeypatch, caplog, batch):
    builds = []
    real_build = pipeline_module.build
    monkeypatch.setattr(pipeline_module, "build", lambda *a, **k: builds.append(1) or real_build(*a, **k))
    analyzer = Analyzer(string_limit=LIMIT).load()
    model = analyzer.nlp.get_pipe(pipeline_module.MODEL_PIPE).model
    old_nlp = analyzer.nlp
    with caplog.at_level(logging.INFO, logger="assist.core.analyzer"):
        list(analyzer.analyze_many(batch, batch_size=64))
    assert analyzer.recycles >= 1 and len(builds) == 1  # rebuilt, never loaded again
    assert analyzer.nlp is not old_nlp
    assert analyzer.nlp.get_pipe(pipeline_module.MODEL_PIPE).model is model
    assert analyzer.has_model and analyzer.warnings == []
    records = [r for r in caplog.records if "recycled" in r.getMessage()]
    assert len(records) == analyzer.recycles
    words = {w for item in batch for text in (item["customer"], item["draft"]) for w in text.split() if len(w) > 4}
    assert not any(w in r.getMessage() for r in records for w in words)


def test_a_pipeline_without_a_model_keeps_its_warning_across_recycles(tmp_path, batch):
    bounded = Analyzer(model_dir=tmp_path / "nothing-here", string_limit=LIMIT)
    unbounded = Analyzer(model_dir=tmp_path / "nothing-here", string_limit=0)
    assert as_dicts(bounded.analyze_many(batch[:200], batch_size=32)) == as_dicts(
        unbounded.analyze_many(batch[:200], batch_size=32))
    assert bounded.recycles >= 1 and not bounded.has_model and "rules only" in bounded.warnings[0]


def test_recycling_under_concurrent_calls_from_two_threads_is_safe(batch, reference):
    singles = items(200, seed=2)
    unbounded = Analyzer(string_limit=0)
    expected_singles = [unbounded.analyze(**item).to_dict() for item in singles]
    analyzer = Analyzer(string_limit=100)
    start = threading.Barrier(2)
    results: dict[str, list] = {}
    errors: list[BaseException] = []

    def many():
        try:
            start.wait(timeout=30)
            results["many"] = as_dicts(analyzer.analyze_many(batch, batch_size=32))
        except BaseException as exc:  # pragma: no cover - reported by the assertion below
            errors.append(exc)

    def one_by_one():
        try:
            start.wait(timeout=30)
            results["one"] = [analyzer.analyze(**item).to_dict() for item in singles]
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=many), threading.Thread(target=one_by_one)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    assert results["many"] == reference
    assert results["one"] == expected_singles
    assert analyzer.recycles >= 5


def test_a_failed_recycle_keeps_the_working_pipeline(monkeypatch, batch, reference):
    def broken(pipeline):
        raise MemoryError

    analyzer = Analyzer(string_limit=LIMIT).load()
    monkeypatch.setattr(pipeline_module, "rebuild", broken)
    assert as_dicts(analyzer.analyze_many(batch, batch_size=32)) == reference
    assert analyzer.recycles == 0
    monkeypatch.undo()
    list(analyzer.analyze_many(items(100, seed=3), batch_size=32))
    assert analyzer.recycles >= 1
