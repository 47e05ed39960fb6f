#!/usr/bin/env python3
"""Renders the chat templates of rag-model's tests with Hugging Face's own code, to produce their expected strings.

Developer tool only: no test, build or CI step runs it. The Java test
rag-model/src/test/java/dev/groundwork/model/template/ChatTemplateTest.java compares its renders byte-for-byte with
the files this script writes, so rerun it (and commit the result) whenever a case or a template changes.

Needs Python 3.10+ with transformers (5.x; 5.18.0 produced the committed files), tokenizers and jinja2 (3.1+):

    python -m venv /tmp/hfenv && /tmp/hfenv/bin/pip install transformers tokenizers jinja2
    /tmp/hfenv/bin/python scripts/dev/hf_chat_templates.py            # from the repository root

It downloads nothing: each template (verbatim in rag-model/src/test/resources/chat-templates/*.jinja) is put on a
tokenizer built in memory, with the model's bos/eos tokens, and rendered by
tokenizer.apply_chat_template(..., tokenize=False), the call users make. strftime_now (Llama 3.2's date) reads
datetime.now(), so the module's clock is pinned to the instant the Java test's fixed Clock gives.

Writes rag-model/src/test/resources/chat-templates/expected/<case>.txt (UTF-8, exactly the rendered string, no
newline added) and a README.md there naming the versions that produced them.
"""

import datetime as _dt
import json
import sys
from pathlib import Path

import jinja2
import tokenizers
import transformers
from tokenizers import Tokenizer
from tokenizers.models import WordLevel
from transformers import PreTrainedTokenizerFast
from transformers.utils import chat_template_utils

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "rag-model/src/test/resources/chat-templates"
EXPECTED = TEMPLATES / "expected"

# bos/eos as the models' tokenizer_config.json give them (Qwen has no bos_token).
MODELS = {
    "qwen2.5-instruct": (None, "<|im_end|>"),
    "qwen3": (None, "<|im_end|>"),
    "llama-3.1-instruct": ("<|begin_of_text|>", "<|eot_id|>"),
    "llama-3.2-instruct": ("<|begin_of_text|>", "<|eot_id|>"),
    "smollm2-instruct": ("<|im_start|>", "<|im_end|>"),
}


def m(role, content):
    return {"role": role, "content": content}


# A JSON-schema tool as HF's docs pass it; key order matters (json.dumps keeps it), the Java test builds the same.
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current temperature in a city, in °C",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string", "description": "City name"}},
            "required": ["city"],
        },
    },
}

# (case, template, messages, add_generation_prompt, extra template variables, pinned "now" for strftime_now)
CASES = [
    ("qwen2.5-default-system", "qwen2.5-instruct", [m("user", "Hello")], True, {}, None),
    ("qwen2.5-multi-turn", "qwen2.5-instruct",
     [m("system", "Be brief."), m("user", "Hi"), m("assistant", "Hello!"), m("user", "Bye")], False, {}, None),
    ("qwen2.5-tool-responses", "qwen2.5-instruct",
     [m("system", "S"), m("user", "U"), m("assistant", "Calling."), m("tool", "{\"t\": 21}"), m("tool", "sunny")],
     True, {}, None),
    ("qwen2.5-tools", "qwen2.5-instruct", [m("user", "Weather in Zürich?")], True, {"tools": [WEATHER_TOOL]}, None),
    ("llama-3.1-trimmed", "llama-3.1-instruct",
     [m("system", "  You are terse.  "), m("user", " What is 2+2? ")], True, {}, None),
    ("llama-3.1-date-string", "llama-3.1-instruct",
     [m("user", "Hi"), m("assistant", "Hello."), m("user", "Bye")], False, {"date_string": "05 Dec 2024"}, None),
    ("llama-3.1-tools-in-system", "llama-3.1-instruct", [m("system", "S"), m("user", "Weather in Zürich?")], True,
     {"tools": [WEATHER_TOOL], "tools_in_user_message": False}, None),
    ("llama-3.2-strftime", "llama-3.2-instruct",
     [m("user", "Hi"), m("assistant", "Hello."), m("user", "Thanks")], True, {}, "2024-12-05"),
    ("llama-3.2-system", "llama-3.2-instruct", [m("system", "S"), m("user", "U")], False, {}, "2024-07-26"),
    ("llama-3.2-tools", "llama-3.2-instruct", [m("user", "Weather in Zürich?")], True,
     {"tools": [WEATHER_TOOL]}, "2024-12-05"),
    ("smollm2-default-system", "smollm2-instruct", [m("user", "Hi")], True, {}, None),
    ("smollm2-system", "smollm2-instruct", [m("system", "Sys"), m("user", "Hi")], False, {}, None),
    ("qwen3-system-user", "qwen3", [m("system", "S"), m("user", "U")], True, {}, None),
    ("qwen3-thinking-off", "qwen3", [m("system", "S"), m("user", "U")], True, {"enable_thinking": False}, None),
    ("qwen3-thinking-on", "qwen3", [m("system", "S"), m("user", "U")], True, {"enable_thinking": True}, None),
    ("qwen3-reasoning-history", "qwen3",
     [m("user", "U1"), m("assistant", "<think>\nR1\n</think>\n\nA1"), m("user", "U2"),
      m("assistant", "<think>\nR2\n</think>\n\nA2")], False, {}, None),
    ("qwen3-reasoning-history-next-turn", "qwen3",
     [m("user", "U1"), m("assistant", "<think>\nR1\n</think>\n\nA1"), m("user", "U2")], True,
     {"enable_thinking": False}, None),
    ("qwen3-empty-think", "qwen3", [m("user", "U"), m("assistant", "A")], False, {}, None),
    ("qwen3-tool-response-in-user", "qwen3",
     [m("user", "U1"), m("assistant", "A1"), m("user", "<tool_response>x</tool_response>"), m("assistant", "A2")],
     False, {}, None),
    ("qwen3-tool-role", "qwen3",
     [m("user", "U"), m("assistant", "<think>\nR\n</think>\n\nCalling."), m("tool", "T1"), m("tool", "T2")], True,
     {}, None),
    ("qwen3-tools", "qwen3", [m("system", "S"), m("user", "Weather in Zürich?")], True, {"tools": [WEATHER_TOOL]}, None),
]


def pin_now(day):
    """strftime_now calls chat_template_utils.datetime.now(); the Java test's Clock is fixed at 10:15:30 that day."""
    fixed = _dt.datetime.fromisoformat(day + "T10:15:30")

    class FixedDateTime(_dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return fixed

    chat_template_utils.datetime = FixedDateTime


def tokenizer(template_name):
    bos, eos = MODELS[template_name]
    source = (TEMPLATES / (template_name + ".jinja")).read_text(encoding="utf-8")
    special = {"bos_token": bos, "eos_token": eos}
    return PreTrainedTokenizerFast(
        tokenizer_object=Tokenizer(WordLevel({"<unk>": 0}, unk_token="<unk>")),
        chat_template=source, **{k: v for k, v in special.items() if v is not None})


def main():
    EXPECTED.mkdir(parents=True, exist_ok=True)
    real_datetime = chat_template_utils.datetime
    names = []
    for case, template_name, messages, add_generation_prompt, variables, day in CASES:
        chat_template_utils.datetime = real_datetime
        if day is not None:
            pin_now(day)
        kwargs = dict(variables)
        tools = kwargs.pop("tools", None)
        rendered = tokenizer(template_name).apply_chat_template(
            messages, tools=tools, add_generation_prompt=add_generation_prompt, tokenize=False, **kwargs)
        (EXPECTED / (case + ".txt")).write_bytes(rendered.encode("utf-8"))
        names.append((case, template_name, add_generation_prompt, variables, day))
    chat_template_utils.datetime = real_datetime
    lines = [
        "# Expected chat-template renders",
        "",
        "Written by `scripts/dev/hf_chat_templates.py` (a developer tool; tests only read these files) with",
        f"transformers {transformers.__version__}, tokenizers {tokenizers.__version__}, jinja2 {jinja2.__version__},",
        f"Python {sys.version.split()[0]}: `tokenizer.apply_chat_template(messages, tokenize=False, ...)` on the",
        "templates in `../*.jinja`. Each `<case>.txt` is the rendered string, UTF-8, byte for byte (no newline added).",
        "The messages of each case are in the script and in `ChatTemplateTest`.",
        "",
        "| case | template | add_generation_prompt | variables | strftime_now day |",
        "|---|---|---|---|---|",
    ]
    for case, template_name, agp, variables, day in names:
        shown = ", ".join(f"{k}={'[get_weather]' if k == 'tools' else json.dumps(v)}" for k, v in variables.items())
        lines.append(f"| {case} | {template_name} | {agp} | {shown} | {day or ''} |")
    (EXPECTED / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(names)} cases to {EXPECTED}")


if __name__ == "__main__":
    main()
