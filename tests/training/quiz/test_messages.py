"""Every message the quiz library reports formats with its parameters (a stray % would fail only when shown)."""

import ast
import collections
import pathlib

import training.quiz

PACKAGE = pathlib.Path(training.quiz.__file__).parent


def messages() -> list[str]:
    found = []
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "gettext_noop":
                found.append(node.args[0].value)
    return found


def test_every_message_formats():
    assert len(messages()) > 50
    for message in messages():
        rendered = message % collections.defaultdict(lambda: "X")
        assert "%(" not in rendered, message
