"""bench/gpu/check_bundle.py, the gate on what is carried to a GPU machine, must be able to
fail: a binary that needs a library a bare GPU machine lacks, an unstripped binary, PTX or a
foreign architecture in the device code, a missing panel file, an oversized folder. The
bundle that passes it is checked by the ctest gpu_bundle."""
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "bench" / "gpu" / "check_bundle.py"
sys.path.insert(0, str(CHECK.parent))
import check_bundle  # noqa: E402


def check(folder, *args):
    r = subprocess.run([sys.executable, str(CHECK), str(folder), *args], capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def minimal_bundle(tmp):
    b = tmp / "bundle"
    b.mkdir()
    (b / "cm_china_daily.tpp").write_bytes(b"TPPANEL1" + b"\0" * 16)
    return b


def test_fatbin_entries_tell_sass_from_ptx():
    def entry(kind, sm, payload):
        head = struct.pack("<HHIQ", kind, 1, 64, len(payload)) + b"\0" * 12
        head += struct.pack("<I", sm) + b"\0" * (64 - 32)
        return head + payload
    body = entry(2, 90, b"x" * 24) + entry(1, 80, b"y" * 8)
    blob = struct.pack("<IHHQ", 0xBA55ED50, 1, 16, len(body)) + body
    assert check_bundle.fatbin_entries(blob) == [(2, 90), (1, 80)]


def test_system_binary_is_refused(tmp_path):
    b = minimal_bundle(tmp_path)
    shutil.copy("/bin/ls", b / "cuda_fake_test")  # links libselinux, pcre2 on Debian
    shutil.copy("/bin/ls", b / "cuda_fake_bench")
    rc, out = check(b)
    assert rc == 1
    assert "which a bare GPU machine lacks" in out


def test_missing_panel_and_size(tmp_path):
    b = minimal_bundle(tmp_path)
    (b / "cm_china_daily.tpp").unlink()
    (b / "data.bin").write_bytes(b"\0" * 4096)
    rc, out = check(b, "--max-mib", "0.001")
    assert rc == 1
    assert "no real-panel file" in out
    assert "over the 0.001 MiB limit" in out
    assert "no cuda_*_test executable" in out


def test_normal_build_binary_is_refused(tmp_path):
    """The normal build's GPU test links libgomp and libfmt dynamically, keeps its symbols
    and carries PTX: everything the bundle must not."""
    exe = Path(os.environ.get("TURNPOINT_BUILD_DIR", ROOT / "build")) / "tests" / "cuda_detect_test"
    if not exe.exists():
        pytest.skip(f"{exe} not built (no HDF5 in this build)")
    if ".nv_fatbin" not in check_bundle.elf_sections(exe.read_bytes()):
        # TURNPOINT_CUDA=OFF (the sanitizer build) still builds the test, which then skips
        pytest.skip(f"{exe} has no device code (a build without CUDA)")
    b = minimal_bundle(tmp_path)
    shutil.copy(exe, b / "cuda_detect_test")
    rc, out = check(b)
    assert rc == 1
    assert "not stripped" in out
    assert "libgomp.so.1" in out
    assert "PTX" in out or "sm_80" in out
