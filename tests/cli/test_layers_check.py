"""cmake/check_layers.cmake (the ctest `layers`) fails when an #include crosses a layer the
wrong way and names the file and the edge; a tree that keeps to cmake/layers.cmake passes.
Each case is a tiny tree of its own, so the check is shown to fail, not only to pass."""
import shutil
import subprocess

import pytest

from tp_testing import REPO


def check(tmp_path, files):
    """Runs the layer check over a tree holding cmake/ and `files` {path: included path}."""
    shutil.copytree(REPO / "cmake", tmp_path / "cmake")
    for path, included in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(f'#include "{included}"\n')
    return subprocess.run(["cmake", f"-DSOURCE_DIR={tmp_path}", "-P", str(tmp_path / "cmake" / "check_layers.cmake")],
                          capture_output=True, text=True)


def test_a_tree_that_keeps_to_the_layers_passes(tmp_path):
    r = check(tmp_path, {
        "host/core/panel.hpp": "kernels/detect.hpp",
        "datasets/generator.cpp": "host/core/panel.hpp",
        "host/io/series_io.cpp": "datasets/generator.hpp",
        "host/report/report.cpp": "host/catalogue/catalogue.hpp",
        "tools/cmd_report.cpp": "host/report/report.hpp",
    })
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("src, included, edge", [
    ("kernels/detect.cpp", "host/core/panel.hpp", "kernels may not use host/core"),
    ("host/core/panel.hpp", "datasets/generator.hpp", "host/core may not use datasets"),
    ("datasets/generator.cpp", "host/io/hdf5.hpp", "datasets may not use host/io"),
    ("host/catalogue/catalogue.cpp", "host/io/hdf5.hpp", "host/catalogue may not use host/io"),
    ("host/explain/explain.cpp", "tools/join_cli.hpp", "host/explain may not use tools"),
    ("host/io/hdf5.cpp", "host/misc/x.hpp", "which is in no layer"),
])
def test_an_include_the_wrong_way_fails_naming_file_and_edge(tmp_path, src, included, edge):
    r = check(tmp_path, {src: included})
    assert r.returncode != 0
    assert f"{src}: includes {included}" in r.stderr
    assert edge in r.stderr
