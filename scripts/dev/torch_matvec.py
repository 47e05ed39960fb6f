"""PyTorch's own CPU matrix-vector speed for one decode step's shapes (Qwen2.5-0.5B), per dtype.

Developer tool, never used by tests or CI; needs torch (see hf_decode_bench.py for the install line).

    python scripts/dev/torch_matvec.py [threads=2]

Each shape is held in 24 copies (one per layer) so weights come from memory, as in a real decode step; the
vocabulary projection in one. Prints the best of 8 rounds in GB/s of weights read. Results: docs/benchmarks.md.
"""
import sys
import time

import torch

SHAPES = [(1152, 896), (896, 896), (9728, 896), (896, 4864), (151936, 896)]


def main():
    torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    for dtype in (torch.float16, torch.bfloat16, torch.float32):
        for rows, cols in SHAPES:
            copies = 1 if rows > 100_000 else 24
            weights = [torch.randn(rows, cols).to(dtype) for _ in range(copies)]
            x = torch.randn(1, cols).to(dtype)
            best = float("inf")
            for _ in range(8):
                t = time.perf_counter()
                for w in weights:
                    torch.nn.functional.linear(x, w)
                best = min(best, (time.perf_counter() - t) / copies)
            size = rows * cols * weights[0].element_size()
            print(f"{str(dtype):15s} [{rows:6d}, {cols}] {best * 1e6:8.0f} us {size / best / 1e9:6.1f} GB/s")


if __name__ == "__main__":
    main()
