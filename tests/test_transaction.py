"""Publishing is one transaction: writers are serialized by a lock and check what they read; a writer killed at
any point (at each rename, at random, on a full disk) leaves the old or the new generation whole, and the next
run recovers; readers always read one complete generation."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from wcokg import layout
from wcokg.edit.apply import load_published
from wcokg.edit.log import listing
from wcokg.errors import PublishError
from wcokg.extraction.graph import annotation_iris
from wcokg.namespaces import OA, WCOKG, Iris
from wcokg.publish.transaction import MANIFEST, Publication, read_generation, sha256

WCO = Iris()
# Two facts that concurrent edits remove and put back (with the quote the source states them with).
FACTS = {
    "a": (WCO.id("goal-4"), WCOKG.involvesStakeholder, WCO.id("international-organizations")),
    "b": (WCO.id("goal-5"), WCOKG.involvesStakeholder, WCO.id("business-partners")),
}
ENV = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}


def wcokg(project: Path, *args: str, out: Path | None = None) -> list[str]:
    """The command line of `wcokg ARGS` on the private project (publishing to ``out``, else its output/)."""
    paths = ["--out", str(out or project / "output"), "--edits", str(project / "edits")]
    paths += ["--source", str(project / "sources" / layout.SOURCE.name)]
    paths += ["--shapes", str(project / "shapes" / layout.SHAPES.name)]
    return [sys.executable, "-m", "wcokg", *args, *paths]


def patch(project: Path, name: str, key: str, present: bool) -> Path:
    """A patch that removes FACTS[key] if ``present``, else puts it back with the quote the source gives for it."""
    s, p, o = (term.n3() for term in FACTS[key])
    path = project / f"{name}.ru"
    header = "# author: Concurrency Test\n# date: 2026-11-30\n# reason: toggles a fact\n"
    if present:
        path.write_text(f"{header}DELETE DATA {{ {s} {p} {o} }}\n", encoding="utf-8")
    else:
        exact, start = QUOTES[key]
        path.write_text(f"{header}# quote: {exact}\n# quote-start: {start}\nINSERT DATA {{ {s} {p} {o} }}\n")
    return path


QUOTES: dict[str, tuple[str, int]] = {}


@pytest.fixture(autouse=True)
def quotes(out_dir):
    """Where the source states each fact of FACTS (read from the published evidence)."""
    evidence = load_published(out_dir).evidence
    for key, fact in FACTS.items():
        target = evidence.value(annotation_iris(WCO, fact)[0], OA.hasTarget)
        selectors = list(evidence.objects(target, OA.hasSelector))
        exact = next(evidence.value(s, OA.exact) for s in selectors if evidence.value(s, OA.exact) is not None)
        start = next(evidence.value(s, OA.start) for s in selectors if evidence.value(s, OA.start) is not None)
        QUOTES[key] = (str(exact), int(start))


def check_consistent(project: Path) -> dict:
    """The output is one whole generation (every file as its manifest says), built from the log as it is,
    and nothing half-written lies around. Returns the manifest."""
    files = read_generation(project / "output")
    manifest = json.loads(files[MANIFEST])
    assert set(files) == {*manifest["files"], MANIFEST}
    for name, meta in manifest["files"].items():
        assert sha256(files[name]) == meta["sha256"], name
    assert [(e["name"], e["sha256"]) for e in manifest["edits"]] == list(listing(project / "edits"))
    leftovers = [p.name for p in project.iterdir() if p.name.startswith(".output.") and p.name != ".output.lock"]
    assert set(leftovers) <= {".output.prev"}, leftovers
    assert not list((project / "edits").glob(".*")) if (project / "edits").exists() else True
    return manifest


def has(project: Path, key: str) -> bool:
    return FACTS[key] in load_published(project / "output").data


def test_concurrent_updates_serialize_and_none_is_lost(project) -> None:
    present = {"a": True, "b": True}
    landed = refused = 0
    for round_ in range(20):
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
    assert landed + refused == 40 and landed >= 20
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


def renames(project: Path, command: list[str]) -> Counter[str]:
    """How many rename system calls of each kind (rename, renameat2 …) a command makes (counted by strace)."""
    log = project / "strace.log"
    done = subprocess.run(
        ["strace", "-f", "-qq", "-o", str(log), "-e", "trace=rename,renameat,renameat2", *command],
        env=ENV,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    calls = (line.split()[1].split("(")[0] for line in log.read_text().splitlines() if "resumed" not in line)
    return Counter(calls)


def test_a_writer_killed_at_every_rename_leaves_a_whole_generation_and_the_next_run_recovers(
    project, tmp_path_factory
) -> None:
    command = wcokg(project, "update", str(patch(project, "p", "a", True)), "--apply")
    pristine = tmp_path_factory.mktemp("pristine") / "project"
    shutil.copytree(project, pristine)  # with the patch
    count = renames(project, command)
    # the commit record, the log entry, the switch of generations, the old one kept (strace counts each call apart)
    assert count.total() >= 4, count
    old_manifest = read_generation(pristine / "output")[MANIFEST]
    new_manifest = read_generation(project / "output")[MANIFEST]
    assert old_manifest != new_manifest
    for call, n in ((call, n) for call, times in count.items() for n in range(1, times + 1)):
        shutil.rmtree(project)
        shutil.copytree(pristine, project)
        inject = ["-e", f"trace={call}", "-e", f"inject={call}:signal=SIGKILL:when={n}"]
        killed = subprocess.run(
            ["strace", "-f", "-qq", "-o", "/dev/null", *inject, *command], env=ENV, capture_output=True, text=True
        )
        assert killed.returncode != 0 and not killed.stderr, f"{call} {n}: the writer was not killed"
        seen = read_generation(project / "output")[MANIFEST]
        assert seen in (old_manifest, new_manifest), f"killed at {call} {n}: a mixed generation"
        committed = (project / ".output.commit").exists()
        recovered = subprocess.run(wcokg(project, "build"), env=ENV, capture_output=True, text=True)
        assert recovered.returncode == 0, recovered.stderr
        rolled = "wcokg: recovered: rolled forward the publication of 0001-p.ru left unfinished by an earlier writer"
        assert (rolled in recovered.stderr.splitlines()) == committed, f"killed at {call} {n}"
        manifest = check_consistent(project)
        assert len(manifest["edits"]) == committed, f"killed at {call} {n}"
        assert has(project, "a") != committed, f"killed at {call} {n}"


def faulted(project: Path, calls: str, when: int = 1, path: str | None = None) -> subprocess.CompletedProcess:
    """`wcokg update --apply` of a patch that removes FACTS["a"], with EIO injected by strace at the ``when``-th
    of the system ``calls`` (strace counts each call on its own), only those on ``path`` of the project if given.
    The renames of an update: 1 the commit record (the commit point), 2 the log entry, 3 the old generation kept
    as .output.prev; and renameat2 #1 the switch of generations."""
    command = wcokg(project, "update", str(patch(project, "p", "a", True)), "--apply")
    only = ["-P", str(project / path)] if path is not None else []
    inject = ["-e", f"trace={calls}", "-e", f"inject={calls}:error=EIO:when={when}"]
    return subprocess.run(
        ["strace", "-f", "-qq", "-o", "/dev/null", *only, *inject, *command], env=ENV, capture_output=True, text=True
    )


RENAME = "rename,renameat"


@pytest.mark.parametrize(
    ("fault", "failed"),
    [
        ((RENAME, 2), "edits/.0001-p.ru.tmp"),
        (("renameat2",), "output"),
        ((RENAME, 3), ".output.next"),
        (("unlink,unlinkat", 1, ".output.commit"), ".output.commit"),
        (("fsync", 1, ""), ""),  # of the project's directory, right after the commit record
    ],
    ids=["entry-rename", "switch", "prev-rename", "journal-unlink", "fsync"],
)
def test_a_failure_after_the_commit_point_says_published_and_the_next_writer_finishes_it(
    project, fault, failed
) -> None:
    done = faulted(project, *fault)
    assert done.returncode == 3, done.stderr
    failure = f"{project / failed}: Input/output error"
    finish = f"the next writer of {project / 'output'} (wcokg build, update --apply, release) finishes it"
    assert done.stderr == f"wcokg: error: published; cleaning up failed: {failure}; {finish}\n"
    told: list[str] = []
    with Publication(project / "output", project / "edits", tell=told.append):  # the next writer
        pass
    assert told == ["recovered: rolled forward the publication of 0001-p.ru left unfinished by an earlier writer"]
    assert [edit["name"] for edit in check_consistent(project)["edits"]] == ["0001-p.ru"]
    assert not has(project, "a")


def test_a_failure_before_the_commit_point_says_nothing_was_published_and_nothing_was(project) -> None:
    before = read_generation(project / "output")
    done = faulted(project, RENAME, 1)
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"wcokg: error: {project / '.output.tmp'}: Input/output error; nothing was published\n"
    assert read_generation(project / "output") == before
    with Publication(project / "output", project / "edits", tell=pytest.fail):  # nothing to recover
        pass
    assert check_consistent(project)["edits"] == [] and has(project, "a")


def test_a_writer_killed_at_random_points_leaves_a_whole_generation(project, tmp_path_factory) -> None:
    command = wcokg(project, "update", str(patch(project, "p", "a", True)), "--apply")
    pristine = tmp_path_factory.mktemp("pristine") / "project"
    shutil.copytree(project, pristine)  # with the patch
    old_manifest = read_generation(project / "output")[MANIFEST]
    started = time.monotonic()
    subprocess.run(command, env=ENV, check=True, capture_output=True)
    duration = time.monotonic() - started
    new_manifest = read_generation(project / "output")[MANIFEST]
    rng = random.Random(20261130)
    for _ in range(10):  # bench/bench_publish.py kills 100 writers
        shutil.rmtree(project)
        shutil.copytree(pristine, project)
        run = subprocess.Popen(command, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 1.0) * duration)
        run.send_signal(signal.SIGKILL)
        run.wait()
        seen = read_generation(project / "output")[MANIFEST]
        assert seen in (old_manifest, new_manifest), "a mixed generation"
        recovered = subprocess.run(wcokg(project, "build"), env=ENV, capture_output=True, text=True)
        assert recovered.returncode == 0, recovered.stderr
        check_consistent(project)


def test_a_full_disk_fails_cleanly_and_changes_nothing(project, tmp_path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    size = sum(p.stat().st_size for p in (project / "output").iterdir()) * 3 // 2
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)], check=True)
    try:
        for name in ("output", "sources", "ontology", "shapes"):
            shutil.copytree(project / name, disk / name)
        before = read_generation(disk / "output")
        done = subprocess.run(
            wcokg(disk, "update", str(patch(project, "p", "a", True)), "--apply"),
            env=ENV,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 2
        assert done.stderr.startswith("wcokg: error: ") and "No space left on device" in done.stderr
        assert done.stderr.count("\n") == 1, done.stderr
        assert read_generation(disk / "output") == before
        assert sorted(p.name for p in disk.iterdir()) == [".output.lock", "ontology", "output", "shapes", "sources"]
    finally:
        subprocess.run(["umount", str(disk)], check=True)


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
