"""Benchmarks, measured in one run and written with the hardware to benchmarks/results/.

1. ``course_lib.numpy_rnn`` forward and backward against ``torch.nn.RNN`` on the CPU,
   for the same shapes (float32 and float64, one thread and all threads).
2. Training throughput (names per second) of the names classifier of the PyTorch
   chapter (``NameClassifier``, GRU 64/128, batch 128), on the CPU and, where CUDA is
   available, on the GPU with and without mixed precision. The batches are synthetic
   names (random characters, lengths 3 to 11 like the real surnames), so the benchmark
   needs no data set.

Run: ``.venv/bin/python benchmarks/bench_rnn.py`` (about two minutes on a 2-core CPU).
``--quick`` runs fewer repeats, for a smoke test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import torch
from torch import nn

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from course_lib import names_models as nm  # noqa: E402
from course_lib import numpy_rnn  # noqa: E402
from course_lib.config import hardware  # noqa: E402

SHAPES = [  # (L, N, H_in, H)
    (20, 32, 32, 64),
    (100, 32, 32, 64),
    (100, 128, 64, 256),
]


def best_of(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def bench_numpy_vs_torch(repeats, dtype):
    rows = []
    np_dtype = np.float32 if dtype == torch.float32 else np.float64
    for L, N, H_in, H in SHAPES:
        module = nn.RNN(H_in, H).to(dtype)
        params = {k: v.astype(np_dtype) for k, v in numpy_rnn.init_rnn_params(H_in, H, 0).items()}
        x = np.random.default_rng(0).standard_normal((L, N, H_in)).astype(np_dtype)
        h0 = np.zeros((N, H), np_dtype)
        dh = np.ones((L, N, H), np_dtype)
        xt = torch.tensor(x, requires_grad=True)

        def np_fwd(x=x, h0=h0, params=params):
            numpy_rnn.rnn_forward(x, h0, params)

        def np_fwd_bwd(x=x, h0=h0, params=params, dh=dh):
            _, cache = numpy_rnn.rnn_forward(x, h0, params)
            numpy_rnn.rnn_backward(dh, cache)

        def torch_fwd(module=module, xt=xt):
            with torch.no_grad():
                module(xt)

        def torch_fwd_bwd(module=module, xt=xt):
            out, _ = module(xt)
            out.backward(torch.ones_like(out))

        rows.append(
            {
                "shape": {"L": L, "N": N, "H_in": H_in, "H": H},
                "dtype": str(dtype).replace("torch.", ""),
                "numpy_forward_ms": 1e3 * best_of(np_fwd, repeats),
                "torch_forward_ms": 1e3 * best_of(torch_fwd, repeats),
                "numpy_forward_backward_ms": 1e3 * best_of(np_fwd_bwd, repeats),
                "torch_forward_backward_ms": 1e3 * best_of(torch_fwd_bwd, repeats),
            }
        )
    return rows


def bench_names_training(device, amp, batches, batch_size=128):
    rng = np.random.default_rng(0)
    vocab_size, classes = 58, 18
    lengths = rng.integers(3, 12, size=batch_size * batches)
    data = [(torch.tensor(rng.integers(1, vocab_size, size=n)), int(rng.integers(classes))) for n in lengths]
    torch.manual_seed(0)
    model = nm.NameClassifier(vocab_size, classes, kind="gru", embed=64, hidden=128).to(device)
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    scaler = torch.amp.GradScaler("cuda", enabled=amp)
    loss_fn = nn.CrossEntropyLoss()
    batches_list = [nm.collate(data[i : i + batch_size]) for i in range(0, len(data), batch_size)]

    def epoch():
        for padded, lens, y in batches_list:
            opt.zero_grad()
            with torch.autocast(device_type=device.type, dtype=torch.float16, enabled=amp):
                loss = loss_fn(model(padded.to(device), lens), y.to(device))
            scaler.scale(loss).backward()
            scaler.step(opt)
            scaler.update()
        if device.type == "cuda":
            torch.cuda.synchronize()

    epoch()  # warm-up
    seconds = best_of(epoch, 3)
    return {
        "device": str(device),
        "amp": amp,
        "batch_size": batch_size,
        "batches": batches,
        "names_per_second": round(len(data) / seconds, 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repeats (smoke test)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results")
    args = parser.parse_args()
    repeats = 2 if args.quick else 7
    result = {
        "hardware": hardware(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__,
        "quick": args.quick,
        "recorded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "torch_threads": torch.get_num_threads(),
        "numpy_vs_torch_cpu": [],
        "names_training": [],
        "load_average_before": [round(v, 2) for v in os.getloadavg()],
    }
    for threads in sorted({1, torch.get_num_threads()}):
        torch.set_num_threads(threads)
        for dtype in (torch.float32, torch.float64):
            for row in bench_numpy_vs_torch(repeats, dtype):
                result["numpy_vs_torch_cpu"].append({**row, "torch_threads": threads})
    torch.set_num_threads(result["torch_threads"])
    batches = 5 if args.quick else 40
    result["names_training"].append(bench_names_training(torch.device("cpu"), False, batches))
    if torch.cuda.is_available():
        result["gpu"] = torch.cuda.get_device_name(0)
        for amp in (False, True):
            result["names_training"].append(bench_names_training(torch.device("cuda"), amp, batches))

    result["load_average_after"] = [round(v, 2) for v in os.getloadavg()]
    print(
        f"{result['hardware']}; torch {result['torch']}, numpy {result['numpy']}; load average (1, 5, 15 min) "
        f"before {result['load_average_before']}, after {result['load_average_after']}"
    )
    print(
        f"{'shape (L,N,H_in,H)':22s} {'dtype':8s} thr  {'numpy fwd':>10s} {'torch fwd':>10s} "
        f"{'numpy f+b':>10s} {'torch f+b':>10s}  (ms, best of {repeats})"
    )
    for r in result["numpy_vs_torch_cpu"]:
        s = r["shape"]
        print(
            f"{str((s['L'], s['N'], s['H_in'], s['H'])):22s} {r['dtype']:8s} {r['torch_threads']:3d}  "
            f"{r['numpy_forward_ms']:10.2f} {r['torch_forward_ms']:10.2f} "
            f"{r['numpy_forward_backward_ms']:10.2f} {r['torch_forward_backward_ms']:10.2f}"
        )
    for r in result["names_training"]:
        print(
            f"names classifier (GRU 64/128, batch {r['batch_size']}) on {r['device']}, amp={r['amp']}: "
            f"{r['names_per_second']:,.0f} names/s"
        )
    if not torch.cuda.is_available():
        print("no CUDA GPU here: GPU rows not measured")
    args.out.mkdir(parents=True, exist_ok=True)
    name = "quick.json" if args.quick else f"{'gpu' if torch.cuda.is_available() else 'cpu'}-{platform.node()}.json"
    path = args.out / name
    path.write_text(json.dumps(result, indent=2) + "\n")
    print("written to", path.relative_to(REPO) if path.is_relative_to(REPO) else path)


if __name__ == "__main__":
    main()
