#!/usr/bin/env python3
"""Embedding throughput: Parley's local encoder against sentence-transformers, same sentences, same run.

    python embed_bench.py --model DIR --parley-bench PATH [--sentences 1000] [--threads 2] [--repeats 3]

Makes N sentences of mixed length (seeded: many short, some paragraphs, a few past the 256-token
limit), encodes them with sentence-transformers on the CPU (torch limited to THREADS threads,
batch size 32, its own length sorting) and with parley-embed-bench (THREADS compute threads),
alternating twice and keeping each one's best pass, and prints sentences per second for both, the
ratio, and the smallest cosine between the two sets of vectors.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

WORDS = (
    "the a of and to in is for on with as by at from that this it be are was were model vector search index "
    "token river mountain cloud server client request response stream latency throughput memory cache kernel "
    "thread database query answer question document paragraph sentence embedding similarity distance graph "
    "library garden window coffee bicycle orchestra quantum photosynthesis replication transaction backup "
    "policy customer invoice shipment warehouse engine parley knowledge retrieval citation 2024 42 3.5"
).split()


def make_sentences(count, seed=20261122):
    rng = random.Random(seed)
    sentences = []
    for i in range(count):
        roll = rng.random()
        if roll < 0.6:
            length = rng.randint(5, 25)
        elif roll < 0.9:
            length = rng.randint(26, 120)
        else:
            length = rng.randint(121, 320)
        words = [rng.choice(WORDS) for _ in range(length)]
        sentences.append(" ".join(words).capitalize() + rng.choice([".", "?", "!"]))
    return sentences


def run_sentence_transformers(model_dir, sentences, threads, repeats):
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(threads)
    model = SentenceTransformer(model_dir, device="cpu")
    model.encode(sentences[:64], batch_size=32)
    best = float("inf")
    vectors = None
    for _ in range(repeats):
        start = time.perf_counter()
        vectors = model.encode(sentences, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
        best = min(best, time.perf_counter() - start)
    return {"engine": "sentence-transformers", "seconds": best, "sentences_per_second": len(sentences) / best,
            "torch": torch.__version__, "threads": torch.get_num_threads()}, vectors


def run_parley(binary, model_dir, path, threads, repeats, vectors_path):
    output = subprocess.run(
        [binary, "--model", model_dir, "--input", path, "--threads", str(threads), "--repeats", str(repeats),
         "--output", vectors_path],
        check=True, capture_output=True, text=True).stdout
    report = json.loads(output.strip().splitlines()[-1])
    report["engine"] = "parley"
    with open(vectors_path) as f:
        return report, json.load(f)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--parley-bench", required=True)
    parser.add_argument("--sentences", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    sentences = make_sentences(args.sentences)
    work = tempfile.mkdtemp(prefix="parley-embed-bench-")
    path = os.path.join(work, "sentences.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(sentences) + "\n")
    vectors_path = os.path.join(work, "parley-vectors.json")

    best = {}
    reference = parley_vectors = None
    for _ in range(2):
        report, parley_vectors = run_parley(args.parley_bench, args.model, path, args.threads, args.repeats,
                                            vectors_path)
        print(json.dumps(report), file=sys.stderr)
        if "parley" not in best or report["seconds"] < best["parley"]["seconds"]:
            best["parley"] = report
        report, reference = run_sentence_transformers(args.model, sentences, args.threads, args.repeats)
        print(json.dumps(report), file=sys.stderr)
        if "st" not in best or report["seconds"] < best["st"]["seconds"]:
            best["st"] = report

    def cosine(a, b):
        dot = sum(x * y for x, y in zip(a, b))
        na = sum(x * x for x in a) ** 0.5
        nb = sum(y * y for y in b) ** 0.5
        return dot / max(na * nb, 1e-12)

    worst = min(cosine(p, list(map(float, r))) for p, r in zip(parley_vectors, reference))
    parley, st = best["parley"], best["st"]
    print(f"sentences: {len(sentences)} ({parley['tokens']} tokens), threads: {args.threads}, "
          f"kernels: {parley['kernels']}, torch {st['torch']}")
    print("parley                 %8.1f sentences/s" % parley["sentences_per_second"])
    print("sentence-transformers  %8.1f sentences/s" % st["sentences_per_second"])
    print("ratio %.2fx   (minimum cosine between the two: %.6f)"
          % (parley["sentences_per_second"] / st["sentences_per_second"], worst))


if __name__ == "__main__":
    main()
