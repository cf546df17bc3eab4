#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""objcycles: list dependency cycles between object files.

usage: objcycles.py [--graph] OBJ...

Object A depends on object B when A leaves a symbol undefined that B
defines (nm). Every strongly connected set of more than one object is a
cycle: none of its objects can be linked, tested or ported without the
others. Prints each cycle with the symbols that close it, and exits 1 if
there is any; --graph prints every edge instead.
"""
import subprocess
import sys


def symbols(obj):
    out = subprocess.run(["nm", "-P", obj], check=True, capture_output=True,
                         text=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        name, kind = parts[0], parts[1]
        if kind == "U":
            undefined.add(name)
        elif kind in "TDBRVWCGS":
            defined.add(name)
    return defined, undefined


def sccs(nodes, edges):
    """Tarjan's algorithm, iterative."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            node, it = work[-1]
            advanced = False
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter[0]
                    counter[0] += 1
                    stack.append(nxt)
                    on.add(nxt)
                    work.append((nxt, iter(sorted(edges.get(nxt, ())))))
                    advanced = True
                    break
                if nxt in on:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                out.append(sorted(comp))
    return out


def main(argv):
    graph = False
    if argv and argv[0] == "--graph":
        graph, argv = True, argv[1:]
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    owner, needs = {}, {}
    for obj in argv:
        d, u = symbols(obj)
        needs[obj] = u
        for s in d:
            owner.setdefault(s, obj)
    edges, why = {}, {}
    for obj, undefined in needs.items():
        for s in undefined:
            dep = owner.get(s)
            if dep and dep != obj:
                edges.setdefault(obj, set()).add(dep)
                why.setdefault((obj, dep), []).append(s)
    if graph:
        for a in sorted(edges):
            for b in sorted(edges[a]):
                print(f"{a} -> {b} ({', '.join(sorted(why[(a, b)])[:3])})")
        return 0
    cycles = [c for c in sccs(list(needs), edges) if len(c) > 1]
    for c in cycles:
        print(f"cycle of {len(c)} objects:")
        members = set(c)
        for a in c:
            for b in sorted(edges.get(a, ())):
                if b in members:
                    syms = sorted(why[(a, b)])
                    more = f" and {len(syms) - 3} more" if len(syms) > 3 else ""
                    print(f"  {a} -> {b} ({', '.join(syms[:3])}{more})")
    if cycles:
        print(f"objcycles: {len(cycles)} dependency cycle(s) between object files")
        return 1
    print(f"objcycles: no dependency cycle between {len(argv)} object files")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
