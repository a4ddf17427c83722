"""docpipe.convert / read / write: what the binding promises (bindings/python)."""
import concurrent.futures
import os
import subprocess
import warnings

import pytest

import docpipe

SPEECH_FORMATS = [("md", "speech.md"), ("html", "speech.html"), ("epub", "speech.epub"), ("tei", "speech.tei.xml")]
TEXT_FORMATS = {"md", "html", "tei", "json"}


def run_cli(cli, data, from_, to, *extra):
    p = subprocess.run([cli, "-f", from_, "-t", to, "-q", *extra], input=data, capture_output=True)
    assert p.returncode == 0, p.stderr.decode()
    return p.stdout


@pytest.fixture(scope="module")
def speech_sources(repo, cli):
    """The speech in each of the four formats, made by the CLI from samples/speech.md."""
    with open(os.path.join(repo, "samples", "speech.md"), "rb") as f:
        md = f.read()
    return {fmt: (md if fmt == "md" else run_cli(cli, md, "md", fmt)) for fmt, _ in SPEECH_FORMATS}


@pytest.mark.parametrize("from_", [f for f, _ in SPEECH_FORMATS])
@pytest.mark.parametrize("to", [f for f, _ in SPEECH_FORMATS])
def test_speech_pair_equals_cli(speech_sources, cli, from_, to):
    """All 16 pairs: the Python result is the CLI's, byte for byte."""
    src = speech_sources[from_]
    expected = run_cli(cli, src, from_, to)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", docpipe.DocpipeLossWarning)
        got = docpipe.convert(src, from_=from_, to=to)
    if to in TEXT_FORMATS:
        assert isinstance(got, str)
        got = got.encode("utf-8")
    else:
        assert isinstance(got, bytes)
    assert got == expected, f"{from_}->{to}: {len(got)} bytes vs the CLI's {len(expected)}"


def test_str_in_str_out_and_metadata():
    html = docpipe.convert("# Hello\n\nSaid \"hi\".", "md", "html", metadata={"title": "Greeting"},
                           transforms=["smart-quotes"], options={"toc": True})
    assert isinstance(html, str)
    assert "<title>Greeting</title>" in html
    assert "\u201chi\u201d" in html
    assert 'role="doc-toc"' in html


def test_epub_bytes_both_ways():
    epub = docpipe.convert("# One\n\nText of one.", "md", "epub", metadata={"title": "T", "language": "en"})
    assert isinstance(epub, bytes) and epub[:2] == b"PK" and b"application/epub+zip" in epub[:100]
    md = docpipe.convert(epub, "epub", "md")
    assert "Text of one." in md


def test_read_edit_write():
    doc = docpipe.read("# Title\n\nA *word*.", "md")
    assert doc.body["t"] == "root"
    assert doc.body["c"][0]["t"] == "heading"
    assert "A word." in doc.text()
    doc.meta["title"] = "Edited"
    doc.body["c"].append({"t": "para", "c": [{"t": "text", "text": "Added."}]})
    md = docpipe.write(doc, to="md")
    assert "title: Edited" in md and "Added." in md


def test_transform_function():
    doc = docpipe.transform(docpipe.read('Say "so".', "md"), "smart-quotes")
    assert "\u201cso\u201d" in doc.text()


def test_input_error_carries_position():
    with pytest.raises(docpipe.InputError) as ei:
        docpipe.convert('{"docpipe-tree": 1,\n  "meta": [', "json", "md", path="upload.json")
    e = ei.value
    assert e.code == -5 and e.exit_code == 3 and e.status
    assert e.file == "upload.json" and e.line == 2 and e.column > 0
    assert str(e).startswith("upload.json:2:")


def test_unknown_format_and_option():
    with pytest.raises(docpipe.PluginError) as ei:
        docpipe.convert("x", "md", "docx")
    assert "docx" in ei.value.message
    with pytest.raises(docpipe.UsageError) as ei:
        docpipe.convert("x", "md", "html", options={"no-such-option": 1})
    assert "not declared" in ei.value.message
    with pytest.raises(docpipe.UsageError):
        docpipe.convert("x", "md", "html", options={"toc-depth": "deep"})
    with pytest.raises(docpipe.PluginError):
        docpipe.convert("x", "md", "html", transforms=["no-such-transform"])


def test_loss_warnings_and_strict(repo):
    with open(os.path.join(repo, "samples", "every-node.json"), "rb") as f:
        data = f.read()
    with pytest.warns(docpipe.DocpipeLossWarning) as rec:
        docpipe.convert(data, "json", "html")
    losses = [w.message for w in rec if isinstance(w.message, docpipe.DocpipeLossWarning)]
    assert losses and all(w.plugin == "html.writer" for w in losses if w.plugin)
    assert any("raw" in w.message for w in losses)
    with pytest.raises(docpipe.LossError) as ei:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            docpipe.convert(data, "json", "html", strict=True)
    assert ei.value.exit_code == 7 and "strict" in ei.value.message


def test_limits():
    with pytest.raises(docpipe.LimitError) as ei:
        docpipe.convert("# " + "x" * 100, "md", "html", limits={"max-input-bytes": 64})
    assert "max-input-bytes" in ei.value.message
    with pytest.raises(docpipe.LimitError):
        docpipe.convert("> " * 50 + "deep\n", "md", "html", limits={"max-depth": 8})
    with pytest.raises(docpipe.UsageError):
        docpipe.convert("x", "md", "html", limits={"max-nothing": 1})


def test_eight_threads(speech_sources):
    """8 threads converting different documents at once give what one thread gives."""
    jobs = [(f, t) for f in ("md", "html", "tei", "epub") for t in ("epub", "html")]
    assert len(jobs) == 8

    def one(job):
        f, t = job
        return docpipe.convert(speech_sources[f], f, t)

    with warnings.catch_warnings():  # process-wide state: set once, not per thread
        warnings.simplefilter("ignore")
        alone = [one(j) for j in jobs]
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            for _ in range(3):
                assert list(pool.map(one, jobs)) == alone
