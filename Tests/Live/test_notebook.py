"""examples/api_tour.ipynb runs from top to bottom in a real Jupyter kernel against the live stack,
and is committed without outputs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPOSITORY = Path(__file__).resolve().parents[2]
EXAMPLES = REPOSITORY / "examples"
NOTEBOOK = EXAMPLES / "api_tour.ipynb"
KERNEL = "recserve-live"


def install_kernel(folder: Path) -> None:
    """A kernel spec that runs this virtualenv's Python (and so its ipykernel and requests)."""
    spec = folder / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "RecServe live tests",
        "language": "python",
    }))


def test_the_notebook_is_committed_without_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:80]


def test_the_notebook_runs_against_the_live_stack(stack, tmp_path, monkeypatch):
    install_kernel(tmp_path / "jupyter")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("RECSERVE_URL", stack.url)
    monkeypatch.delenv("RECSERVE_TOKEN", raising=False)
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook, kernel_name=KERNEL, timeout=120, startup_timeout=120,
        resources={"metadata": {"path": str(EXAMPLES)}},
    )
    client.execute()  # raises CellExecutionError, with the cell and its traceback, if one fails
    outputs = "".join(
        output.get("text", "") + "".join(output.get("data", {}).get("text/plain", ""))
        for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    )
    assert "unknown_movie" in outputs and "serving generation" in outputs
    assert stack.url in outputs  # the client cell shows the address it took from RECSERVE_URL
