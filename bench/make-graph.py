#!/usr/bin/env python3
"""Writes a GOPROXY tree holding a module graph for the cold `go mod download` benchmark, and a consumer module.

example.com/graph/m000 is the root; module i requires modules 2i+1 and 2i+2 (a binary tree, so the go command walks
the graph level by level through the proxy), every go.mod says `go 1.16` so the whole graph is loaded. Each zip holds a
Go file and incompressible bytes, (1 + i % 8) * KB_PER_STEP kilobytes of them, stored uncompressed as Go stores
incompressible files. Usage: make-graph.py OUT CONSUMER_DIR [MODULES=80] [KB_PER_STEP=128]
"""
import json
import os
import random
import sys
import zipfile


def name(i):
    return f"example.com/graph/m{i:03d}"


def write_module(root, i, count, kb_per_step, rng):
    module, version = name(i), "v1.0.0"
    folder = os.path.join(root, module, "@v")
    os.makedirs(folder, exist_ok=True)
    requires = [name(j) for j in (2 * i + 1, 2 * i + 2) if j < count]
    gomod = f"module {module}\n\ngo 1.16\n"
    if requires:
        gomod += "\nrequire (\n" + "".join(f"\t{r} {version}\n" for r in requires) + ")\n"
    prefix = f"{module}@{version}/"
    package = f"m{i:03d}"
    with zipfile.ZipFile(os.path.join(folder, f"{version}.zip"), "w", zipfile.ZIP_STORED) as z:
        z.writestr(prefix + "go.mod", gomod)
        z.writestr(prefix + f"{package}.go", f"package {package}\n\nconst Name = \"{module}\"\n")
        z.writestr(prefix + "testdata/blob.bin", rng.randbytes((1 + i % 8) * kb_per_step * 1024))
    with open(os.path.join(folder, f"{version}.mod"), "w") as f:
        f.write(gomod)
    with open(os.path.join(folder, f"{version}.info"), "w") as f:
        json.dump({"Version": version, "Time": "2024-01-02T03:04:05Z"}, f)
    with open(os.path.join(folder, "list"), "w") as f:
        f.write(version + "\n")


if __name__ == "__main__":
    out, consumer = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 80
    kb_per_step = int(sys.argv[4]) if len(sys.argv) > 4 else 128
    rng = random.Random(7)  # the same bytes on every run
    for i in range(count):
        write_module(out, i, count, kb_per_step, rng)
    os.makedirs(consumer, exist_ok=True)
    with open(os.path.join(consumer, "go.mod"), "w") as f:
        f.write(f"module example.com/consumer\n\ngo 1.16\n\nrequire {name(0)} v1.0.0\n")
