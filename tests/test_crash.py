"""A writer killed at any point (at each rename, at random, on a full disk) or failing after its commit point
leaves the old or the new generation whole and says which; the next run recovers."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from wcokg.publish.transaction import MANIFEST, Publication, read_generation

from .writers import ENV, check_consistent, has, patch, quotes, wcokg  # noqa: F401 (quotes: autouse)


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
    for _ in range(5):  # bench/bench_publish.py kills 100 writers
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
        # before: "wcokg: error: ?: No space left on device" (a write names no file)
        full = disk / ".output.next" / "wcokg.nq"
        assert done.stderr == f"wcokg: error: {full}: No space left on device; nothing was published\n"
        assert read_generation(disk / "output") == before
        assert sorted(p.name for p in disk.iterdir()) == [".output.lock", "ontology", "output", "shapes", "sources"]
    finally:
        subprocess.run(["umount", str(disk)], check=True)
