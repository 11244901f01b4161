#!/usr/bin/env python3
"""llama.cpp's side of bench/engine/run.sh: prefill and decode speed and peak memory on a GGUF file,
with the same prompt tokens and the same method as parley-engine-bench."""
import argparse
import ctypes
import json
import resource
import time

import numpy as np
from llama_cpp import Llama


def peak_rss_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--prompt-tokens", type=int, default=512)
    parser.add_argument("--decode-tokens", type=int, default=128)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    baseline = peak_rss_kib()
    llama = Llama(args.model, n_ctx=1024, n_batch=512, n_ubatch=512, n_threads=args.threads,
                  n_threads_batch=args.threads, verbose=False)
    vocabulary = llama.n_vocab()
    prompt = [(i * 7919 + 13) % (vocabulary - 200) + 100 for i in range(args.prompt_tokens)]

    def logits():
        return np.ctypeslib.as_array(llama._ctx.get_logits(), shape=(vocabulary,))

    llama.reset()
    llama.eval(prompt[:8])
    prefill, decode = [], []
    for _ in range(args.repeats):
        llama.reset()
        start = time.perf_counter()
        llama.eval(prompt)
        prefill.append(time.perf_counter() - start)
        start = time.perf_counter()
        for _ in range(args.decode_tokens):
            llama.eval([int(np.argmax(logits()))])
        decode.append(time.perf_counter() - start)
    prefill.sort()
    decode.sort()
    print(json.dumps({
        "engine": "llama.cpp",
        "threads": args.threads,
        "prefill_tokens_per_second": round(args.prompt_tokens / prefill[len(prefill) // 2], 1),
        "decode_tokens_per_second": round(args.decode_tokens / decode[len(decode) // 2], 1),
        "peak_rss_mib": round(peak_rss_kib() / 1024, 1),
        "baseline_rss_mib": round(baseline / 1024, 1),
    }))


if __name__ == "__main__":
    main()
