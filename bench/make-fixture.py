#!/usr/bin/env python3
"""Writes a GOPROXY tree with large module zips for the benchmarks.

The zips follow the module zip rules (every entry under module@version/, valid file names, a go.mod), hold
incompressible bytes so that no layer can shortcut the transfer, and are stored uncompressed as Go would store
incompressible files. Usage: make-fixture.py OUT MODULE=MEGABYTES ...
"""
import json
import os
import sys
import zipfile

def write_module(root, module, megabytes):
    version = "v1.0.0"
    folder = os.path.join(root, module, "@v")
    os.makedirs(folder, exist_ok=True)
    prefix = f"{module}@{version}/"
    gomod = f"module {module}\n\ngo 1.19\n".encode()
    with zipfile.ZipFile(os.path.join(folder, f"{version}.zip"), "w", zipfile.ZIP_STORED) as z:
        z.writestr(prefix + "go.mod", gomod)
        z.writestr(prefix + "doc.go", f"package {module.rsplit('/', 1)[-1]}\n")
        chunk = 4 << 20
        remaining = megabytes << 20
        part = 0
        while remaining > 0:
            size = min(chunk, remaining)
            z.writestr(prefix + f"data/blob{part:03d}.bin", os.urandom(size))
            remaining -= size
            part += 1
    with open(os.path.join(folder, f"{version}.mod"), "wb") as f:
        f.write(gomod)
    with open(os.path.join(folder, f"{version}.info"), "w") as f:
        json.dump({"Version": version, "Time": "2024-01-02T03:04:05Z"}, f)
    with open(os.path.join(folder, "list"), "w") as f:
        f.write(version + "\n")

if __name__ == "__main__":
    out = sys.argv[1]
    for spec in sys.argv[2:]:
        module, megabytes = spec.split("=")
        write_module(out, module, int(megabytes))
