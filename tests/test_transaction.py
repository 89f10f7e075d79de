"""Publishing is one transaction: writers are serialized by a lock and check what they read; readers always read
one complete generation. (tests/test_crash.py kills and faults writers.)"""

from __future__ import annotations

import json
import subprocess
import threading

import pytest

from wcokg.errors import PublishError
from wcokg.publish.transaction import MANIFEST, Publication, read_generation, sha256

from .writers import ENV, FACTS, check_consistent, has, patch, quotes, wcokg  # noqa: F401 (quotes: autouse)


def test_concurrent_updates_serialize_and_none_is_lost(project) -> None:
    present = {"a": True, "b": True}
    landed = refused = 0
    for round_ in range(10):  # bench/bench_publish.py runs 20 rounds of 8 writers
        runs = {}
        for key in ("a", "b"):
            command = wcokg(project, "update", str(patch(project, f"toggle-{key}", key, present[key])), "--apply")
            runs[key] = subprocess.Popen(
                [*command, "--wait", "0"], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
        for key, run in runs.items():
            _, err = run.communicate(timeout=120)
            if run.returncode == 0:
                present[key] = not present[key]
                landed += 1
            else:
                assert run.returncode == 2 and "another update of" in err and "is running" in err, err
                assert err.count("\n") == 1, err
                refused += 1
        manifest = check_consistent(project)
        assert len(manifest["edits"]) == landed, f"round {round_}: an edit that said 'applied' is not in the log"
        assert {key: has(project, key) for key in FACTS} == present, f"round {round_}: an applied edit was lost"
    assert landed + refused == 20 and landed >= 10  # the first of each round to take the lock lands
    # the log reproduces the output exactly
    rebuilt = project / "rebuilt"
    done = subprocess.run(wcokg(project, "build", out=rebuilt), env=ENV, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert read_generation(rebuilt) == read_generation(project / "output")


def test_a_second_writer_waits_for_the_first(project) -> None:
    before = read_generation(project / "output")[MANIFEST]
    with Publication(project / "output", project / "edits"):
        command = wcokg(project, "update", str(patch(project, "p", "a", True)), "--apply", "--wait", "600")
        waiting = subprocess.Popen(command, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        said = waiting.stderr.readline()  # the writer says it waits once it has met the lock
        assert "is running" in said and "waiting up to 600 s" in said, said
        assert waiting.poll() is None, "the second writer went ahead while the lock was held"
        assert read_generation(project / "output")[MANIFEST] == before
    out, err = waiting.communicate(timeout=600)
    assert waiting.returncode == 0, said + err
    assert not has(project, "a")


def test_a_writer_that_did_not_take_the_lock_is_detected_and_nothing_is_published(project) -> None:
    before = read_generation(project / "output")
    with Publication(project / "output", project / "edits") as publication:
        (project / "edits").mkdir()
        (project / "edits" / "0001-sneaked-in.ru").write_text("# author: X\n", encoding="utf-8")
        with pytest.raises(PublishError, match="changed while this update ran"):
            publication.commit({**before, "extra.txt": b"x"})
    assert read_generation(project / "output") == before
    assert not (project / ".output.next").exists()


def test_readers_always_see_one_whole_generation_while_writers_publish(project) -> None:
    errors: list[str] = []
    seen: set[bytes] = set()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                files = read_generation(project / "output")
                manifest = json.loads(files[MANIFEST])
                assert all(sha256(files[n]) == m["sha256"] for n, m in manifest["files"].items())
                seen.add(files[MANIFEST])
            except Exception as exc:  # reported below
                errors.append(repr(exc))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        present = True
        for number in range(4):
            run = subprocess.run(
                wcokg(project, "update", str(patch(project, f"p{number}", "a", present)), "--apply"),
                env=ENV,
                capture_output=True,
                text=True,
            )
            assert run.returncode == 0, run.stderr
            present = not present
    finally:
        stop.set()
        reader.join()
    assert not errors, errors[:3]
    assert len(seen) >= 2


def test_a_published_file_edited_by_hand_is_named_not_read(project) -> None:
    with (project / "output" / "wcokg.nq").open("a", encoding="utf-8") as stream:
        stream.write("<urn:a> <urn:b> <urn:c> <urn:g> .\n")
    with pytest.raises(PublishError, match=r"wcokg.nq is not the file manifest.json lists \(edited by hand\?\)"):
        read_generation(project / "output")


@pytest.mark.parametrize("lost", ["wcokg.ttl", "ontology.ttl"])
def test_a_rebuild_restores_a_published_file_deleted_by_hand(project, lost) -> None:
    """The manifest matches what the build makes, but the output is not whole: the new generation replaces it."""
    expected = (project / "output" / lost).read_bytes()
    (project / "output" / lost).unlink()
    done = subprocess.run(wcokg(project, "build"), capture_output=True, text=True, env=ENV, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (project / "output" / lost).read_bytes() == expected
    read_generation(project / "output")  # every file the manifest lists, as it lists it
