"""Logits of a checkpoint folder computed by Hugging Face transformers, as JSON: a second, independent reference.

Developer tool only: never run by the tests or CI (they read the JSON files it wrote, committed under
rag-model/src/test/resources/hf-golden/). It needs a Python with torch, transformers and safetensors, e.g.:

    # 1. let the Java tests write the tiny golden checkpoints (fixed seeds) and their token ids
    ./mvnw -q -B -o -pl rag-model -am test -Dtest=HuggingFaceGoldenTest \\
        -Dsurefire.failIfNoSpecifiedTests=false -Dgroundwork.dumpCheckpoints=/tmp/hf-golden-checkpoints
    # 2. run them through transformers (float32, eager attention) and write one JSON file per checkpoint
    /tmp/hfenv/bin/python scripts/dev/hf_reference_logits.py /tmp/hf-golden-checkpoints/* \\
        --out-dir rag-model/src/test/resources/hf-golden

Each checkpoint folder holds config.json and model.safetensors; the token ids come from --tokens (comma separated)
or else from the folder's tokens.json (a JSON list). The output holds the logits of every position, the token ids,
the SHA-256 of each weight file (so a test can tell a changed checkpoint generator from a changed forward pass),
how transformers read the attention configuration, and the library versions. Loading fails when transformers
reports missing or unexpected weights: a weight it initialised randomly would make the reference meaningless.
"""

import argparse
import hashlib
import json
import pathlib
import sys

import torch
import transformers
from transformers import AutoModelForCausalLM


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def reference(folder, tokens):
    model, info = AutoModelForCausalLM.from_pretrained(
        folder, dtype=torch.float32, attn_implementation="eager", output_loading_info=True)
    problems = {k: v for k, v in info.items() if v and k in ("missing_keys", "unexpected_keys", "mismatched_keys")}
    if problems:
        raise SystemExit(f"{folder}: transformers did not load every weight as stored: {problems}")
    model.eval()
    with torch.no_grad():
        logits = model(torch.tensor([tokens], dtype=torch.long), use_cache=False).logits[0]
    config = model.config
    rope = getattr(config, "rope_parameters", None) or getattr(config, "rope_scaling", None)
    return {
        "checkpoint": folder.name,
        "architecture": config.architectures[0],
        "transformers": transformers.__version__,
        "torch": torch.__version__,
        "dtype": "float32",
        "attn_implementation": "eager",
        "weights_sha256": {p.name: sha256(p) for p in sorted(folder.glob("*.safetensors"))},
        "hf_config": {
            "sliding_window": getattr(config, "sliding_window", None),
            "layer_types": getattr(config, "layer_types", None),
            "rope": dict(rope) if rope else None,
        },
        "tokens": tokens,
        "logits": [[float(f"{v:.8g}") for v in row] for row in logits.tolist()],  # fp32 has ~7 digits
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkpoints", nargs="+", type=pathlib.Path, help="checkpoint folders")
    parser.add_argument("--tokens", help="comma-separated token ids (default: each folder's tokens.json)")
    parser.add_argument("--out-dir", type=pathlib.Path, help="write <folder name>.json here (default: stdout)")
    args = parser.parse_args()
    torch.manual_seed(0)
    for folder in args.checkpoints:
        if args.tokens:
            tokens = [int(t) for t in args.tokens.split(",")]
        else:
            tokens = json.loads((folder / "tokens.json").read_text())
        result = reference(folder, tokens)
        text = json.dumps(result, indent=None, separators=(",", ":")) + "\n"
        if args.out_dir:
            args.out_dir.mkdir(parents=True, exist_ok=True)
            out = args.out_dir / f"{folder.name}.json"
            out.write_text(text)
            print(f"{folder.name}: {len(tokens)} tokens -> {out}", file=sys.stderr)
        else:
            sys.stdout.write(text)


if __name__ == "__main__":
    main()
