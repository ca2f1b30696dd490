#!/usr/bin/env python3
"""Checks a GPU bundle folder (built by `cmake --preset gpu-bundle`, bench/README.md) before it
is carried to a bare GPU machine, which has the NVIDIA driver but none of Debian's libraries:

* every ELF file needs only the C/C++ runtime: `ldd` names nothing but linux-vdso, libc, libm,
  libstdc++, libgcc_s and ld-linux, plus libraries that the bundle itself holds and that the
  binary finds through RUNPATH=$ORIGIN (Google Benchmark's shared library); nothing is
  "not found";
* no RUNPATH points outside the bundle (only $ORIGIN), and every binary is stripped;
* the CUDA code is machine code (SASS) for the allowed architectures only, no PTX: PTX would
  be compiled by the driver at start (minutes, and the run is short) and every extra
  architecture costs megabytes;
* no binary needs a glibc or libstdc++ symbol version newer than Ubuntu 22.04's;
* the panel file is there and has its header; the whole folder is under --max-mib.

Standard library only (it runs from the ctest `gpu_bundle` and from the bundle build itself).
Exit status 0 when every check passes, 1 otherwise, with one line per problem.
"""
import argparse
import os
import struct
import subprocess
import sys

SYSTEM_LIBS = {"linux-vdso.so.1", "libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1",
               "ld-linux-x86-64.so.2"}
FATBIN_MAGIC = 0xBA55ED50
# The newest symbol versions a binary may need: those of Ubuntu 22.04 (glibc 2.35, GCC 12's
# libstdc++), so that the bundle also runs on a GPU machine a few years older than this one.
MAX_VERSIONS = {"GLIBC": (2, 35), "GLIBCXX": (3, 4, 30)}
PANEL_MAGIC = b"TPPANEL1"


def elf_sections(data):
    """{name: bytes} of an ELF64 little-endian file."""
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    heads = [struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize) for i in range(shnum)]
    strtab_off = heads[shstrndx][4]
    out = {}
    for name, _typ, _flags, _addr, off, size in heads:
        end = data.index(b"\0", strtab_off + name)
        out[data[strtab_off + name:end].decode()] = data[off:off + size] if _typ != 8 else b""
    return out


def dynamic_strings(sections, tag):
    """Strings of the .dynamic entries with `tag` (1 NEEDED, 15 RPATH, 29 RUNPATH)."""
    dyn, dynstr = sections.get(".dynamic", b""), sections.get(".dynstr", b"")
    out = []
    for i in range(0, len(dyn) - 15, 16):
        d_tag, d_val = struct.unpack_from("<qQ", dyn, i)
        if d_tag == 0:
            break
        if d_tag == tag:
            out.append(dynstr[d_val:dynstr.index(b"\0", d_val)].decode())
    return out


def needed_versions(sections):
    """{'GLIBC': (2, 34), 'GLIBCXX': (3, 4, 29)}: the newest version of each that the
    binary's dynamic symbols name (the names of .gnu.version_r live in .dynstr)."""
    out = {}
    for raw in sections.get(".dynstr", b"").split(b"\0"):
        name, _, ver = raw.decode(errors="replace").partition("_")
        if name in MAX_VERSIONS and ver and all(p.isdigit() for p in ver.split(".")):
            v = tuple(int(p) for p in ver.split("."))
            out[name] = max(out.get(name, v), v)
    return out


def fatbin_entries(blob):
    """(kind, sm) of every entry of an .nv_fatbin section: kind 1 = PTX, 2 = ELF (SASS).
    Layout (as nvcc 12/13 write it): header {u32 magic, u16 version, u16 header size,
    u64 entries' size}, then entries {u16 kind, u16, u32 header size, u64 payload size, ...,
    u32 sm at byte 28}."""
    out, i = [], 0
    while i + 16 <= len(blob):
        magic, _ver, hsize, fsize = struct.unpack_from("<IHHQ", blob, i)
        if magic != FATBIN_MAGIC:
            if blob[i:].strip(b"\0"):
                raise ValueError(f"unknown bytes in .nv_fatbin at offset {i}")
            break
        j, end = i + hsize, i + hsize + fsize
        while j < end:
            kind, _v, ehsize, psize = struct.unpack_from("<HHIQ", blob, j)
            sm, = struct.unpack_from("<I", blob, j + 28)
            out.append((kind, sm))
            j += ehsize + psize
        i = end
    return out


def ldd_libs(path):
    """[(soname, resolved path or None)] as ldd prints them."""
    res = subprocess.run(["ldd", path], capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"ldd {path}: {res.stderr.strip() or res.stdout.strip()}")
    libs = []
    for line in res.stdout.splitlines():
        line = line.strip()
        if not line:
            continue
        if "=>" in line:
            name, rest = (s.strip() for s in line.split("=>", 1))
            target = rest.split(" (")[0].strip()
            libs.append((name, None if target == "not found" else target))
        else:
            target = line.split(" (")[0].strip()
            libs.append((os.path.basename(target), target))
    return libs


def check(bundle, max_mib, archs):
    problems, report = [], []
    bundle = os.path.realpath(bundle)
    if not os.path.isdir(bundle):
        return [f"{bundle}: no such folder (build it: cmake --preset gpu-bundle && "
                "cmake --build --preset gpu-bundle)"], report
    files = sorted(f for f in os.listdir(bundle) if os.path.isfile(os.path.join(bundle, f)))
    total = sum(os.path.getsize(os.path.join(bundle, f)) for f in files)
    own = set(files)
    if not any(f.startswith("cuda_") and f.endswith("_test") for f in files):
        problems.append("no cuda_*_test executable in the bundle")
    if not any(f.startswith("cuda_") and f.endswith("_bench") for f in files):
        problems.append("no cuda_*_bench executable in the bundle")
    for f in files:
        path = os.path.join(bundle, f)
        with open(path, "rb") as fh:
            data = fh.read()
        size = len(data)
        if not data.startswith(b"\x7fELF"):
            report.append(f"{f}: {size / 2**20:.2f} MiB")
            continue
        secs = elf_sections(data)
        if ".symtab" in secs:
            problems.append(f"{f}: not stripped (has .symtab)")
        for tag, label in ((15, "RPATH"), (29, "RUNPATH")):
            for value in dynamic_strings(secs, tag):
                if any(p != "$ORIGIN" for p in value.split(":")):
                    problems.append(f"{f}: {label} {value!r} points outside the bundle")
        libs = ldd_libs(path)
        for name, target in libs:
            if target is None:
                problems.append(f"{f}: needs {name}, which is not found")
            elif name in SYSTEM_LIBS:
                pass
            elif name in own and os.path.dirname(os.path.realpath(target)) == bundle:
                pass  # shipped beside it, found through RUNPATH=$ORIGIN
            else:
                problems.append(f"{f}: needs {name} ({target}), which a bare GPU machine lacks")
        versions = needed_versions(secs)
        for lib, v in versions.items():
            if v > MAX_VERSIONS[lib]:
                problems.append(f"{f}: needs {lib}_{'.'.join(map(str, v))}, newer than "
                                f"{lib}_{'.'.join(map(str, MAX_VERSIONS[lib]))}")
        kinds = []
        if ".nv_fatbin" in secs:
            try:
                entries = fatbin_entries(secs[".nv_fatbin"])
            except ValueError as e:
                problems.append(f"{f}: {e}")
                entries = []
            for kind, sm in entries:
                if kind != 2:
                    problems.append(f"{f}: carries PTX for compute_{sm} (SASS only wanted)")
                elif sm not in archs:
                    problems.append(f"{f}: carries SASS for sm_{sm}, not in {sorted(archs)}")
            kinds = sorted({f"sm_{sm}" if k == 2 else f"compute_{sm}" for k, sm in entries})
        vers = ", ".join(f"{k}_{'.'.join(map(str, v))}" for k, v in sorted(versions.items()))
        report.append(f"{f}: {size / 2**20:.2f} MiB; needs {', '.join(n for n, _ in libs)}"
                      + (f" ({vers})" if vers else "")
                      + (f"; CUDA {', '.join(kinds)}" if kinds else ""))
    panels = [f for f in files if f.endswith(".tpp")]
    if not panels:
        problems.append("no real-panel file (*.tpp) in the bundle")
    for f in panels:
        with open(os.path.join(bundle, f), "rb") as fh:
            if fh.read(8) != PANEL_MAGIC:
                problems.append(f"{f}: not a panel file")
    report.append(f"total: {total / 2**20:.2f} MiB in {len(files)} files (limit {max_mib} MiB)")
    if total > max_mib * 2**20:
        problems.append(f"bundle is {total / 2**20:.1f} MiB, over the {max_mib} MiB limit")
    return problems, report


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bundle")
    # The device tool carries 64 MiB in all (bundle + working tree): keep the bundle well under.
    # 24 MiB: twice the 12.5 MiB measured for the sm_90 bundle (bench/README.md).
    ap.add_argument("--max-mib", type=float, default=24.0)
    ap.add_argument("--archs", default="90", help="allowed SASS architectures, e.g. 80,90")
    args = ap.parse_args()
    archs = {int(a) for a in args.archs.replace(";", ",").split(",") if a.strip()}
    problems, report = check(args.bundle, args.max_mib, archs)
    for line in report:
        print(line)
    for p in problems:
        print(f"PROBLEM: {p}", file=sys.stderr)
    print("bundle check: " + ("ok" if not problems else f"{len(problems)} problem(s)"))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
