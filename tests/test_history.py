"""Conversations persist in SQLite, per owner, and a turn is stored whole or not at all."""

from __future__ import annotations

import sqlite3

import pytest

from assistant.answer import Answer, Citation
from assistant.history import ConversationStore


def _answer(question: str, text: str = "ok") -> Answer:
    return Answer(
        question=question, mode="offline", language="en", answer=text,
        citations=[Citation(id=0, kind="market", title="market data")],
    )


def test_threads_survive_a_new_store_object(tmp_path):
    path = tmp_path / "history.sqlite3"
    store = ConversationStore(path)
    tid = store.create_thread("Small caps")
    store.add_turn(tid, _answer("q1", "first"))
    store.add_turn(tid, _answer("q2", "second"))

    reopened = ConversationStore(path)
    turns = reopened.turns(tid)
    assert [t.question for t in turns] == ["q1", "q2"]
    assert turns[1].answer == "second"
    assert turns[0].citations[0].kind == "market"
    assert reopened.threads()[0].turns == 2


def test_rename_and_delete(tmp_path):
    store = ConversationStore(tmp_path / "h.sqlite3")
    a = store.create_thread("a")
    b = store.create_thread("b")
    store.rename(a, "Renamed")
    store.delete(b)
    assert [(t.id, t.title) for t in store.threads()] == [(a, "Renamed")]
    assert store.turns(b) == []


def test_each_owner_sees_only_their_threads(tmp_path):
    store = ConversationStore(tmp_path / "h.sqlite3")
    mine = store.create_thread("mine", owner="alice")
    store.add_turn(mine, _answer("secret question"), owner="alice")
    assert store.threads(owner="bob") == []
    assert store.turns(mine, owner="bob") == []
    store.delete(mine, owner="bob")  # not bob's: nothing happens
    with pytest.raises(PermissionError):
        store.add_turn(mine, _answer("bob writes here"), owner="bob")
    assert len(store.turns(mine, owner="alice")) == 1


def test_database_is_in_wal_mode(tmp_path):
    path = tmp_path / "h.sqlite3"
    ConversationStore(path)
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"



def test_turn_count_counts_only_the_owners_turns(tmp_path) -> None:
    from assistant.answer import Answer
    from assistant.history import ConversationStore

    store = ConversationStore(tmp_path / "h.sqlite3")
    tid = store.create_thread("t", owner="alice")
    for q in ("a", "b"):
        store.add_turn(tid, Answer(question=q, mode="offline", language="en", answer="x"), owner="alice")
    assert store.turn_count(tid, owner="alice") == len(store.turns(tid, owner="alice")) == 2
    assert store.turn_count(tid, owner="bob") == 0 and store.turn_count("nope", owner="alice") == 0
