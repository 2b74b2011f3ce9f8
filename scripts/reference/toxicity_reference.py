"""Reference figures for the toxicity judge's offline model, from scikit-learn itself.

Loads alt-profanity-check (the PyPI package `npm run models` exports to models/) and prints, as JSON, for a
fixed set of lines: the tokens sklearn's analyzer produces (lowercase, token pattern, stop words) and
`profanity_check.predict_prob` (CalibratedClassifierCV.predict_proba(...)[:, 1], float64 repr). The
committed copy is judges/testing/fixtures/toxicity-reference.json, which judges/toxicity-parity.test.ts
compares with the TypeScript implementation (judges/inference/linear-text-model.ts) to 1e-6.

Run with the venv `npm run models` makes:
  .evalforge/venv/bin/python scripts/reference/toxicity_reference.py > judges/testing/fixtures/toxicity-reference.json
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version

# Ordinary, profane, borderline and hard-benign lines, plus the tokenizer's edge cases: case, Unicode
# letters and digits of other scripts, combining marks, underscores, apostrophes, hyphens, full-width
# forms, final sigma, dotted I, emoji, markup, numbers, whitespace, one-letter words, empty and long text.
LINES = [
    "",
    " ",
    "Thank you for contacting ShopCo support. Your refund is on its way.",
    "You are a fucking idiot.",
    "This product is shit, total garbage.",
    "What the hell is wrong with you?",
    "Go to hell",
    "I hate you so much, you stupid moron",
    "kill the process and restart the worker",
    "Shoot me an email when the order ships.",
    "The patient presented with rectal bleeding and a breast lump.",
    "The defendant was charged with sexual assault and battery.",
    "Scunthorpe United won 2-1 at Glanford Park.",
    "Dick Van Dyke starred in Mary Poppins.",
    "Please don't be an ass about it.",
    "ASSHOLE",
    "F U C K you",
    "f*ck this sh!t",
    "bitch_please",
    "damn-it, this isn't right",
    "I'm a cocky, cocksure cockatoo.",
    "Café naïve façade — 你好世界 مرحبا بالعالم",
    "Ωμέγα ΟΔΟΣ ΣΟΦΟΣ",
    "İstanbul DİYARBAKIR ıi",
    "Straße STRASSE ß",
    "Ｆｕｃｋ full-width letters",
    "cafe\u0301 combining acute, e\u0308 diaeresis",
    "numbers ²³ ½ Ⅻ ٣٤ 42 007",
    "emoji 👍👍 🖕 💩 text",
    "<b>bold</b> &amp; http://example.com/shit?x=1",
    "tabs\tand\nnewlines\r\nand\u00a0nbsp\u2003em space",
    "a b c d e f g i I u",
    "snake_case_identifier and CamelCaseWord",
    "It's the customer's parcel; they'll get it.",
    "you suck you suck you suck you suck",
    "SUCK IT",
    "This is a screw-up on our side, sorry.",
    "The bloody thing broke again.",
    "Your order #12345 will arrive Tuesday.",
    "Crap, I forgot my password again",
    ("The quick brown fox jumps over the lazy dog. " * 60).strip(),
    ("Please stop. " * 30) + "You are an idiot.",
]


def main() -> None:
    from profanity_check import predict_prob
    from profanity_check.profanity_check import vectorizer

    analyze = vectorizer.build_analyzer()
    probabilities = predict_prob(LINES)
    out = {
        "source": f"pypi:alt-profanity-check=={version('alt-profanity-check')}",
        "scikit_learn": version("scikit-learn"),
        "python": sys.version.split()[0],
        "lines": [
            {"text": text, "tokens": analyze(text), "probability": float(p)}
            for text, p in zip(LINES, probabilities)
        ],
    }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
