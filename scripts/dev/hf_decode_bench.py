"""Hugging Face transformers on PyTorch as a peer for LlmBench: same checkpoint, same prompt length, greedy.

Developer tool, never used by tests or CI. Needs torch and transformers (on the development machine:
pip install --index-url file:///opt/pypi/simple --extra-index-url file:///opt/pypi-more/simple torch transformers).

    python scripts/dev/hf_decode_bench.py DIR [prompt_tokens=512] [decode_tokens=64] [threads=2]

DIR is a checkpoint LlmBench wrote (LlmBench qwen2.5-0.5b 512 64 fp16 DIR). Prints, per dtype, prefill tokens/s
(one forward pass over the prompt) and decode tokens/s (generate() of N tokens minus generate() of one).
"""
import sys
import time

import torch
from transformers import AutoModelForCausalLM


def main():
    folder = sys.argv[1]
    prompt_tokens = int(sys.argv[2]) if len(sys.argv) > 2 else 512
    decode_tokens = int(sys.argv[3]) if len(sys.argv) > 3 else 64
    torch.set_num_threads(int(sys.argv[4]) if len(sys.argv) > 4 else 2)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, cpu capability "
          f"{torch.backends.cpu.get_cpu_capability()}")
    for dtype in (torch.float16, torch.bfloat16, torch.float32):
        model = AutoModelForCausalLM.from_pretrained(folder, dtype=dtype, attn_implementation="sdpa").eval()
        vocab = model.config.vocab_size
        model.generation_config.eos_token_id = None  # random weights: never stop early
        model.generation_config.pad_token_id = 0
        ids = torch.randint(0, vocab, (1, prompt_tokens), generator=torch.Generator().manual_seed(7))
        with torch.inference_mode():
            model.generate(ids[:, :16], max_new_tokens=4, do_sample=False)  # warm-up
            t0 = time.perf_counter()
            model(ids)
            prefill = time.perf_counter() - t0
            # decode = the time generate() spends beyond its first token (which includes its own prefill)
            t0 = time.perf_counter()
            model.generate(ids, max_new_tokens=1, min_new_tokens=1, do_sample=False)
            first = time.perf_counter() - t0
            t0 = time.perf_counter()
            out = model.generate(ids, max_new_tokens=decode_tokens, min_new_tokens=decode_tokens, do_sample=False)
            total = time.perf_counter() - t0
        generated = out.shape[1] - prompt_tokens
        decode = (generated - 1) / (total - first)
        print(f"{str(dtype):15s} prefill {prompt_tokens / prefill:7.1f} tok/s   decode {decode:6.1f} tok/s "
              f"({generated} tokens)")
        del model


if __name__ == "__main__":
    main()
