#!/usr/bin/python3
"""bench/summary.py OUT...: depeche beside Lucene-French in each bench/run
output directory: medians of the indexing runs, their ratios, and query
latency percentiles for every query set (main and names-and-phrases)."""
import json
import os
import statistics
import sys


def load_runs(out):
    runs = {}
    with open(os.path.join(out, "runs.tsv")) as f:
        next(f)
        for line in f:
            peer, phase, _run, wall, user, sys_, rss, rc, _load = \
                line.rstrip("\n").split("\t")
            if rc != "0":
                continue
            runs.setdefault((peer, phase), []).append(
                (float(wall), float(user) + float(sys_), int(rss)))
    return runs


def sizes(out):
    s = {}
    with open(os.path.join(out, "sizes.tsv")) as f:
        for line in f:
            k, v = line.split("\t")[:2]
            s[k] = int(v)
    return s


def percentiles(path):
    d = json.load(open(path))
    lat = sorted(x / 1e6 for q in d["lat_ns"] for x in q)
    pick = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]
    return pick(0.50), pick(0.95), pick(0.99), len(d["lat_ns"])


def same(pairs):
    """--same A B [C D]...: queries whose hit count or top-10 ids (in
    order) differ between the depeche-bench outputs A and B."""
    for a, b in zip(pairs[0::2], pairs[1::2]):
        ra = json.load(open(a))["queries"]
        rb = json.load(open(b))["queries"]
        diff = [x["q"] for x, y in zip(ra, rb)
                if x["hits"] != y["hits"] or x["top"] != y["top"]]
        print(f"- {os.path.basename(os.path.dirname(os.path.dirname(a)))}"
              f"/{os.path.basename(a)}: {len(ra) - len(diff)} of {len(ra)}"
              " queries give the same count and the same top-10 ids in the"
              " same order" + (f"; differ: {diff[:10]}" if diff else ""))


def main():
    if sys.argv[1:2] == ["--same"]:
        same(sys.argv[2:])
        return
    for out in sys.argv[1:]:
        with open(os.path.join(out, "corpus.tsv")) as f:
            ndocs, nbytes, corpus = f.readline().rstrip("\n").split("\t")
        ndocs, nbytes = int(ndocs), int(nbytes)
        runs, sz = load_runs(out), sizes(out)
        print(f"\n### {os.path.basename(corpus)}: {ndocs:,} dispatches, "
              f"{nbytes / 1e6:.1f} MB\n")
        print("| indexer | runs | wall s (median) | docs/s | MB/s | CPU s |"
              " peak RSS MB | index MB | index/corpus |")
        print("|---|---|---|---|---|---|---|---|---|")
        med = {}
        writers = sorted({p for p, ph in runs
                          if p.startswith("depeche-shards-w")})
        for peer in ("lucene", "xapian-py", "depeche", "depeche-shards",
                     *writers):
            r = runs.get((peer, "index"))
            if not r:
                continue
            wall = statistics.median(x[0] for x in r)
            cpu = statistics.median(x[1] for x in r)
            rss = statistics.median(x[2] for x in r) / 1024
            size = sz.get(peer)
            med[peer] = (wall, size)
            print(f"| {peer} | {len(r)} | {wall:.2f} | {ndocs / wall:,.0f} |"
                  f" {nbytes / 1e6 / wall:.1f} | {cpu:.1f} | {rss:.0f} | "
                  + (f"{size / 1e6:.1f} | {size / nbytes:.2f} |"
                     if size else "- | - |"))
        if "depeche" in med and "depeche-shards" in med:
            (sw, ss), (hw, hs) = med["depeche"], med["depeche-shards"]
            print(f"\nshards / one database: indexing speed {sw / hw:.2f}x"
                  + (f", index size {hs / ss:.2f}x" if ss and hs else ""))
            for w in writers:
                if w in med:
                    print(f"\n{w} / one database: indexing speed "
                          f"{sw / med[w][0]:.2f}x")
        if "lucene" in med and "depeche" in med:
            (lw, ls), (dw, ds) = med["lucene"], med["depeche"]
            print(f"\ndepeche / Lucene: indexing speed {lw / dw:.2f}x, "
                  f"index size {ds / ls:.2f}x" if ls and ds else "")
        print("\n| searcher | queries | p50 ms | p95 ms | p99 ms |")
        print("|---|---|---|---|---|")
        p99 = {}
        sdir = os.path.join(out, "search")
        files = [os.path.join(sdir, fn) for fn in sorted(os.listdir(sdir))]
        shd = os.path.join(out, "shards")
        if os.path.isdir(shd):
            files += [os.path.join(shd, fn) for fn in sorted(os.listdir(shd))]
        for path in files:
            fn = os.path.basename(path)
            if not fn.endswith(".json"):
                continue
            name = fn[:-5]
            p50, p95, p, nq = percentiles(path)
            p99[name] = p
            print(f"| {name} | {nq} | {p50:.3f} | {p95:.3f} | {p:.3f} |")
        for suffix in ("", ".names"):
            a, b = p99.get("depeche" + suffix), p99.get("lucene" + suffix)
            if a and b:
                print(f"\np99 depeche{suffix} / lucene{suffix}: "
                      f"{a / b:.2f}x", end="")
        print()


if __name__ == "__main__":
    main()
