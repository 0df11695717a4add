"""Outputs are written as a set: a disk that fills up while writing leaves the previous
dossier whole and no temporary file behind (issue #29). The fault is real: the writing
process runs under a file-size limit (RLIMIT_FSIZE), so the kernel refuses the write."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers import SEEDS

SCRIPT = """
import resource, signal, sys
from dataclasses import replace
from storytrace import api
from storytrace.errors import StorytraceError
from storytrace.pipeline.config import AnalyzeConfig
from storytrace.records import codec
from storytrace.report import render

out = sys.argv[2]
dossier = api.analyze([sys.argv[1]], AnalyzeConfig(corpus_stages=()))
api.write_dossier(dossier, out)
print("first set written", flush=True)
smaller = replace(dossier, documents=dossier.documents[:2])
data = api.to_json_data(smaller)
json_size = len(codec.dumps(data).encode())
html_size = len(render.render_html(data).encode())
assert json_size < html_size, (json_size, html_size)
# the new JSON fits under the limit, the new HTML does not: the failure comes
# after one file of the new set is complete
limit = (json_size + html_size) // 2
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write is an error, not a kill
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
try:
    api.write_dossier(smaller, out)
except StorytraceError as exc:
    print("refused", exc.code, flush=True)
"""


def test_a_full_disk_while_writing_keeps_the_previous_dossier_whole(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(SEEDS), str(out)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert "first set written" in done.stdout, done.stderr
    assert "refused ST103" in done.stdout, done.stdout + done.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["dossier.html", "dossier.json", "dossier.md"], names  # no temporaries
    import json

    data = json.loads((out / "dossier.json").read_text(encoding="utf-8"))
    assert len(data["documents"]) == len(list(SEEDS.glob("*.txt")))  # the old set, all of it
    html = (out / "dossier.html").read_text(encoding="utf-8")
    assert all(d["doc_id"] in html for d in data["documents"])
