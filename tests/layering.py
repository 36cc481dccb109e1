#!/usr/bin/env python3
"""Calls between the library's files run one way: no circle of files in lib/ and rules/ where each
calls the next (the engine calls the checks, the facts and the exchange memory, which call the
check context, lib/core/ctx.c; the capture dispatcher calls the readers, which call their
helpers; the report dispatcher calls the formats, which call lib/report/common.c).

Reads the symbols of the libraries' object files (nm): file A depends on file B when A uses a
symbol B defines. Fails, naming the files and the symbols, when the graph has a cycle.
Usage: layering.py BUILD_DIR"""
import collections
import glob
import os
import subprocess
import sys

build = sys.argv[1]
objs = [o for o in glob.glob(os.path.join(build, "CMakeFiles", "resplint*.dir", "**", "*.o"),
                             recursive=True)
        if "/resplint_text.dir/" not in o and "llhttp" not in o]
if not objs:
    print("FAIL: no object files of the libraries under %s/CMakeFiles" % build)
    sys.exit(1)


def name(o):
    return o.split(".dir/", 1)[1].replace("__/", "").replace(".c.o", ".c")


defs, uses = {}, collections.defaultdict(set)
for o in objs:
    n = name(o)
    out = subprocess.run(["nm", o], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TDBRC":
            defs.setdefault(parts[2], n)
        elif len(parts) == 2 and parts[0] == "U":
            uses[n].add(parts[1])

edges = collections.defaultdict(dict)  # a -> {b: a symbol of b that a uses}
for a, syms in uses.items():
    for s in sorted(syms):
        b = defs.get(s)
        if b and b != a:
            edges[a].setdefault(b, s)

# Tarjan's strongly connected components
index, low, stack, on, comps, counter = {}, {}, [], set(), [], [0]
sys.setrecursionlimit(10000)


def visit(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in edges[v]:
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        comps.append(comp)


nodes = set(edges) | {b for e in edges.values() for b in e}
for v in sorted(nodes):
    if v not in index:
        visit(v)

cycles = [sorted(c) for c in comps if len(c) > 1]
for c in cycles:
    print("FAIL: these files call each other in a circle:")
    for a in c:
        for b, s in sorted(edges[a].items()):
            if b in c:
                print("  %s -> %s (%s)" % (a, b, s))
print("%d files, %d calls between files, %d circles" %
      (len(nodes), sum(len(e) for e in edges.values()), len(cycles)))
sys.exit(1 if cycles else 0)
