"""Extraction on a Dask cluster gives the same store as the build's own worker processes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CORPUS, store_contents

from evidence.build import BuildOptions, build
from extract.errors import EvidenceError


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two Ofsted reports and the plan that answers one of them, and a file that is no document."""
    folder = tmp_path_factory.mktemp("cluster")
    for name in (
        "plymouth_2015-01-06.pdf",
        "plymouth_2019-01-07.pdf",
        "plymouth_2015-01-06_draft-improvement-plan.txt",
    ):
        shutil.copy(CORPUS / name, folder / name)
    (folder / "notes.txt").write_text("Shopping list: milk, bread.\n")
    return folder


@pytest.mark.slow  # it starts a Dask cluster of two worker processes
def test_a_local_dask_cluster_builds_the_same_store(folder: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    local, on_dask = tmp_path / "local.db", tmp_path / "dask.db"
    here = build([folder], local, BuildOptions(workers=2))
    there = build([folder], on_dask, BuildOptions(workers=2, executor="dask"))
    assert sorted(there.extracted) == sorted(here.extracted) and len(here.extracted) == 3
    assert there.failures == here.failures and len(here.failures) == 1
    assert store_contents(on_dask) == store_contents(local)


@pytest.mark.slow  # starts processes of its own
def test_an_unreachable_scheduler_is_said_plainly(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("distributed")
    import evidence.build.cluster

    monkeypatch.setattr(evidence.build.cluster, "CONNECT_SECONDS", 1)
    with pytest.raises(EvidenceError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        build([folder], tmp_path / "s.db", BuildOptions(executor="dask", scheduler="tcp://127.0.0.1:9"))
