#!/usr/bin/env python3
"""Where the bytes of a WebAssembly module are: code by the crate of each function's name
(the name section of cargo's .wasm, before wasm-bindgen and wasm-opt strip it) and data,
each group gzipped on its own (docs/benchmarks.md, "WebAssembly size").

Usage: scripts/wasm-size.py target/wasm-pkg/pms_wasm.wasm [ROWS]
(scripts/build-wasm.sh leaves cargo's modules in target/wasm-pkg/.)"""
import gzip
import re
import sys
from collections import defaultdict


def leb(b, i):
    n = shift = 0
    while True:
        x = b[i]
        i += 1
        n |= (x & 0x7F) << shift
        shift += 7
        if x < 0x80:
            return n, i


def sections(b):
    i = 8
    while i < len(b):
        sid = b[i]
        size, j = leb(b, i + 1)
        yield sid, b[j:j + size]
        i = j + size


def crate_of(name):
    """The crate of a (mangled) symbol: `<T as core::fmt::Debug>::fmt` counts for T's crate,
    generic code for the crate that defines it."""
    if name.startswith("_ZN"):  # legacy mangling: the first length-prefixed path segment
        m = re.match(r"_ZN(\d+)", name)
        ident = name[m.end():m.end() + int(m.group(1))] if m else name
        ident = re.sub(r"^_?(\$[A-Za-z0-9]+\$|mut|dyn|\.)*", "", ident)
        m = re.match(r"[A-Za-z_][A-Za-z0-9_]*", ident)
        return m.group(0) if m else "?"
    if name.startswith("_R"):  # v0 mangling: the first crate root
        m = re.search(r"C(?:s[0-9A-Za-z]*_)?(\d+)", name)
        return name[m.end():m.end() + int(m.group(1))] if m else "?"
    m = re.match(r"[<&\s]*(?:dyn\s+|mut\s+)?([A-Za-z_][A-Za-z0-9_]*)::", name)
    return m.group(1) if m else name.split("::")[0] or "?"


def main():
    data = open(sys.argv[1], "rb").read()
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    imports = 0
    bodies, names, datas = [], {}, []
    for sid, body in sections(data):
        if sid == 2:  # imports: function indexes start after the imported functions
            count, i = leb(body, 0)
            for _ in range(count):
                for _ in range(2):
                    n, i = leb(body, i)
                    i += n
                kind = body[i]
                i += 1
                if kind == 0:
                    imports += 1
                    _, i = leb(body, i)
                elif kind == 1:
                    i += 1
                    flags, i = leb(body, i)
                    _, i = leb(body, i)
                    if flags & 1:
                        _, i = leb(body, i)
                elif kind == 2:
                    flags, i = leb(body, i)
                    _, i = leb(body, i)
                    if flags & 1:
                        _, i = leb(body, i)
                else:
                    i += 2
        elif sid == 10:
            count, i = leb(body, 0)
            for _ in range(count):
                size, j = leb(body, i)
                bodies.append(body[j:j + size])
                i = j + size
        elif sid == 11:
            datas.append(body)
        elif sid == 0:
            n, i = leb(body, 0)
            if body[i:i + n] != b"name":
                continue
            i += n
            while i < len(body):
                sub = body[i]
                size, j = leb(body, i + 1)
                if sub == 1:
                    count, k = leb(body, j)
                    for _ in range(count):
                        idx, k = leb(body, k)
                        ln, k = leb(body, k)
                        names[idx] = body[k:k + ln].decode("utf-8", "replace")
                        k += ln
                i = j + size
    groups = defaultdict(list)
    for n, b in enumerate(bodies):
        groups[crate_of(names.get(n + imports, "?"))].append(b)
    out = [(sum(map(len, bs)), len(gzip.compress(b"".join(bs), 9)), c) for c, bs in groups.items()]
    code = b"".join(bodies)
    print(f"code: {len(code):,} B raw, {len(gzip.compress(code, 9)):,} B gzipped; "
          f"data: {sum(map(len, datas)):,} B raw, {len(gzip.compress(b''.join(datas), 9)):,} B gzipped")
    print("| crate | code raw | gzipped |\n|---|---|---|")
    for raw, gz, c in sorted(out, key=lambda r: -r[1])[:rows]:
        print(f"| {c} | {raw / 1000:.0f} kB | {gz / 1000:.0f} kB |")


if __name__ == "__main__":
    main()
