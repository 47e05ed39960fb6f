"""What PyTorch itself reaches for one decode step when no per-operation call crosses a language boundary.

Developer tool, never used by tests or CI; needs torch (see hf_decode_bench.py for the install line).
The Qwen2.5-0.5B-shaped decode step (random fp16 weights, fp32 activations and KV cache, 512 cached positions,
the same operations as Groundwork's Transformer) compiled with TorchScript and called once per token, so the
interpreter dispatches every op inside libtorch. Compare with LlmBench's steady decode in the same minute.

    python scripts/dev/torchscript_decode.py [threads=2]
"""
import sys
import time
from typing import List

import torch

D, LAYERS, H, K, HEAD, F, V = 896, 24, 14, 2, 64, 4864, 151936
CACHED = 512


@torch.jit.script
def rms(x: torch.Tensor, w: torch.Tensor, eps: float) -> torch.Tensor:
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


@torch.jit.script
def step(x: torch.Tensor, ws: List[List[torch.Tensor]], kc: List[torch.Tensor], vc: List[torch.Tensor], pos: int,
         cos: torch.Tensor, sin: torch.Tensor, final_norm: torch.Tensor, head: torch.Tensor) -> torch.Tensor:
    h_: int = 14
    k_: int = 2
    d: int = 64
    f: int = 4864
    for layer in range(len(ws)):
        w = ws[layer]
        h = rms(x, w[0], 1e-6)
        qkv = torch.nn.functional.linear(h.half(), w[1]).float().view(h_ + 2 * k_, d)
        qk = qkv[:h_ + k_]
        v = qkv[h_ + k_:]
        half = d // 2
        qk = qk * cos + torch.cat((-qk[:, half:], qk[:, :half]), -1) * sin
        kc[layer][:, pos] = qk[h_:]
        vc[layer][:, pos] = v
        keys = kc[layer][:, :pos + 1]
        values = vc[layer][:, :pos + 1]
        scores = torch.matmul(qk[:h_].view(k_, h_ // k_, d), keys.transpose(1, 2)) * (1.0 / 8.0)
        attended = torch.matmul(scores.softmax(-1), values).reshape(1, h_ * d)
        x = x + torch.nn.functional.linear(attended.half(), w[2]).float()
        h = rms(x, w[3], 1e-6)
        gate_up = torch.nn.functional.linear(h.half(), w[4]).float()
        mlp = torch.nn.functional.silu(gate_up[:, :f]) * gate_up[:, f:]
        x = x + torch.nn.functional.linear(mlp.half(), w[5]).float()
    return torch.nn.functional.linear(rms(x, final_norm, 1e-6).half(), head).float()


def main():
    torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)

    def weight(*shape):
        return (torch.randn(*shape) * 0.02).half()

    embedding = weight(V, D)
    layers = [[weight(D), weight((H + 2 * K) * HEAD, D), weight(D, H * HEAD), weight(D), weight(2 * F, D),
               weight(D, F)] for _ in range(LAYERS)]
    final_norm = weight(D)
    keys = [torch.zeros(K, CACHED + 256, HEAD) for _ in range(LAYERS)]
    values = [torch.zeros(K, CACHED + 256, HEAD) for _ in range(LAYERS)]
    x = torch.randn(1, D)
    cos, sin = torch.randn(1, HEAD), torch.randn(1, HEAD)
    with torch.inference_mode():
        for run in range(3):  # the first run includes TorchScript's profiling and optimisation passes
            t = time.perf_counter()
            for i in range(64):
                step(x, layers, keys, values, CACHED + i, cos, sin, final_norm, embedding)
            elapsed = time.perf_counter() - t
            print(f"run {run}: {64 / elapsed:.1f} tok/s ({elapsed / 64 * 1e3:.1f} ms per token)")


if __name__ == "__main__":
    main()
