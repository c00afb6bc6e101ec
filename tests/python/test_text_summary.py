"""hotpath.text.summarize: the rules of hotpath_text_summarize (text.h), golden cases
and random texts against text_reference.summarize_ref."""
import random

import pytest

import text_reference as ref


CASES = [
    # (text, kwargs, expected)
    ("Hello world.\nSecond line.", {}, "Hello world."),
    ("Hello world.\nSecond line.\nThird.", {"lines": 2}, "Hello world.\nSecond line."),
    ("\n\n   \t Hello\nworld", {}, "Hello"),                      # leading blank lines
    ("Line one  \r\nLine two\r\n", {}, "Line one"),                # CRLF: \r is white space
    ("Line one  \r\nLine two  \r\n", {"lines": 2}, "Line one  \r\nLine two"),  # breaks kept
    ("a\rb\rc", {}, "a\rb\rc"),                                    # lone \r is no line break
    ("a\u2028b\x0bc\x0cd\x1ce\x85f", {}, "a\u2028b\x0bc\x0cd\x1ce\x85f"),  # nor other separators
    ("a\n\n\nb", {"lines": 2}, "a"),                               # blank lines count
    ("a\n\n\nb", {"lines": 4}, "a\n\n\nb"),
    ("a\nb", {"lines": 100}, "a\nb"),
    ("", {}, ""), ("   \n\t ", {}, ""),
    ("Hello world", {"lines": 0}, ""),
    ("Hello world", {"max_chars": 0}, ""),
    ("Hello world", {"max_chars": 5}, "Hello"),
    ("Hello world", {"max_chars": 6}, "Hello"),                   # cut, then stripped
    ("a b  c", {"max_chars": 4}, "a b"),
    ("Hello   \n", {"max_chars": 7}, "Hello"),
    ("héllo wörld", {"max_chars": 2}, "hé"),                       # code points, not bytes
    ("😀😀😀", {"max_chars": 2}, "😀😀"),
    ("中文字中文字", {"max_chars": 4}, "中文字中"),
    ("e\u0301e\u0301", {"max_chars": 3}, "e\u0301e"),               # a combining mark is one
    ("x" * 300, {}, "x" * 200),                                    # default max_chars 200
    # front matter
    ("---\ntitle: x\n---\nBody line\nmore", {"skip_front_matter": True}, "Body line"),
    ("---\ntitle: x\n---\nBody line\nmore", {}, "---"),
    ("---  \r\ntitle: x\r\n--- \t\r\n\r\n  Body\r\n", {"skip_front_matter": True}, "Body"),
    ("---\ntitle: x\nno closing fence\n", {"skip_front_matter": True}, "---"),  # unclosed
    ("---\n---\nBody", {"skip_front_matter": True}, "Body"),        # empty block
    ("---\na\n---", {"skip_front_matter": True}, ""),               # nothing after it
    ("---\na\n---\n", {"skip_front_matter": True, "lines": 3}, ""),
    ("---", {"skip_front_matter": True}, "---"),                     # a lone fence
    ("---\n", {"skip_front_matter": True}, "---"),
    (" ---\na\n---\nBody", {"skip_front_matter": True}, "---"),  # indented: no fence
    ("----\na\n---\nBody", {"skip_front_matter": True}, "----"),
    ("---\na\n ---\nb\n---\nBody", {"skip_front_matter": True}, "Body"),  # " ---" is no fence
    ("---\na\n---x\n---\nBody", {"skip_front_matter": True}, "Body"),
    ("---\na\n---\n---\nb\n---\nBody", {"skip_front_matter": True}, "---"),  # one block only
    ("Text\n---\na\n---\nBody", {"skip_front_matter": True}, "Text"),  # not at the start
    ("\n---\na\n---\nBody", {"skip_front_matter": True}, "---"),
]


@pytest.mark.parametrize("text,kwargs,want", CASES)
def test_summarize_cases(T, every_mode, text, kwargs, want):
    assert T.summarize(text, **kwargs) == want
    assert ref.summarize_ref(text, **kwargs) == want  # the reference agrees with the table


def test_summarize_random_against_reference(T, every_mode):
    rng = random.Random(4242)
    pieces = ["---", "--- ", "---\r", "title: x", "", " ", "\t", "Hello world", "héllo 😀",
              "a\u2028b", "x" * 30, "\u3000", "e\u0301"]
    for _ in range(400):
        lines = [rng.choice(pieces) for _ in range(rng.randint(0, 8))]
        text = rng.choice(["\n", "\r\n"]).join(lines) + rng.choice(["", "\n", " "])
        kwargs = {"lines": rng.randint(0, 4), "max_chars": rng.choice([0, 1, 3, 10, 200]),
                  "skip_front_matter": rng.random() < 0.6}
        assert T.summarize(text, **kwargs) == ref.summarize_ref(text, **kwargs), (text, kwargs)


def test_summarize_large_text(T, every_mode):
    body = "First line of a long document.\n" + "filler text\n" * 100_000
    text = "---\nfront: matter\n---\n" + body
    assert T.summarize(text, skip_front_matter=True) == "First line of a long document."
    assert T.summarize(text, lines=3, max_chars=10**9, skip_front_matter=True) == \
        "First line of a long document.\nfiller text\nfiller text"
    assert T.summarize(text, lines=2**32 - 1, max_chars=2**64 - 1) == text.rstrip()
