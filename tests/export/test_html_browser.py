"""The viewer page in headless Chromium: drawn, offline, quiet, usable, and free of injected markup.

The page is served on 127.0.0.1 and driven over the DevTools protocol on
Chromium's ``--remote-debugging-pipe`` (JSON messages ending in a NUL byte),
which needs no package beyond the standard library. Skipped when
/usr/bin/chromium is missing (``apt-get install chromium``).
"""

from __future__ import annotations

import base64
import fcntl
import functools
import http.server
import json
import os
import queue
import struct
import subprocess
import threading
import time
import zlib
from pathlib import Path

import pytest

from kg.export.html import write_html
from kg.export.style import KIND_COLORS

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
    # Nothing may leave the machine even if the page tried; the test still sees the attempt.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


class DevTools:
    """A DevTools protocol session with one page of a headless Chromium, over pipes."""

    def __init__(self, profile: Path):
        pipe_read, self._to_browser = os.pipe()
        self._from_browser, pipe_write = os.pipe()
        # Chromium reads commands on fd 3 and writes replies on fd 4. Moving the pipe
        # ends above 9 first keeps bash's redirections from overwriting one another.
        to_browser_read = fcntl.fcntl(pipe_read, fcntl.F_DUPFD, 10)
        from_browser_write = fcntl.fcntl(pipe_write, fcntl.F_DUPFD, 10)
        for fd in (pipe_read, pipe_write):
            os.close(fd)
        script = f'exec "$0" "$@" 3<&{to_browser_read} 4>&{from_browser_write}'
        self.process = subprocess.Popen(
            ["/bin/bash", "-c", script, str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe"],
            pass_fds=(to_browser_read, from_browser_write),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._next_id = 0
        self._replies: dict[int, queue.Queue] = {}
        self.events: list[dict] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=self.session)

    def _read(self) -> None:
        buffer = b""
        while chunk := os.read(self._from_browser, 1 << 16):
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for raw in messages:
                message = json.loads(raw)
                if "id" in message and message["id"] in self._replies:
                    self._replies[message["id"]].put(message)
                else:
                    self.events.append(message)

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30):
        self._next_id += 1
        reply: queue.Queue = queue.Queue()
        self._replies[self._next_id] = reply
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        answer = reply.get(timeout=timeout)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    def evaluate(self, expression: str):
        result = self.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}, self.session
        )
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except Exception:
            self.process.kill()
        self.process.wait(timeout=10)
        os.close(self._to_browser)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """An HTTP server on 127.0.0.1 for a directory; yields (directory, base URL)."""
    directory = tmp_path_factory.mktemp("site")
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield directory, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    devtools = DevTools(tmp_path_factory.mktemp("profile"))
    yield devtools
    devtools.close()


def open_page(browser: DevTools, url: str, timeout: float = 45) -> float:
    """Navigate and wait until vis-network has drawn; returns the seconds that took."""
    browser.events.clear()
    started = time.monotonic()
    browser.send("Page.navigate", {"url": url}, browser.session)
    drawn = f"location.href === {json.dumps(url)} && document.getElementById('mynetwork')?.getAttribute('data-drawn-ms')"
    while time.monotonic() - started < timeout:
        try:
            if browser.evaluate(f"({drawn}) || null") is not None:
                return time.monotonic() - started
        except RuntimeError:  # the old document went away while we asked
            pass
        time.sleep(0.05)
    raise AssertionError("the graph was not drawn")


def problems(browser: DevTools) -> list[str]:
    """Console errors and warnings, uncaught exceptions, browser log errors and dialogs the page caused."""
    found = []
    for event in browser.events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params["type"] in ("error", "warning", "assert"):
            found.append(f"console.{params['type']}: {params['args']}")
        elif method == "Runtime.exceptionThrown":
            found.append(f"exception: {params['exceptionDetails']}")
        elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
            found.append(f"log: {params['entry']['text']}")
        elif method == "Page.javascriptDialogOpening":
            found.append(f"dialog: {params['message']}")
    return found


def requested_urls(browser: DevTools) -> list[str]:
    return [e["params"]["request"]["url"] for e in browser.events if e.get("method") == "Network.requestWillBeSent"]


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and unfiltered RGB(A) rows of an 8-bit truecolour PNG (what Chromium captures)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, header = 8, b"", None
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind, body = data[position + 4 : position + 8], data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    width, height, depth, color_type, _, _, interlace = header
    assert depth == 8 and color_type in (2, 6) and interlace == 0
    channels = 3 if color_type == 2 else 4
    raw, stride, rows, previous = zlib.decompress(idat), width * channels, [], bytearray(width * channels)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, up_left = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else up_left)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def canvas_colours(browser: DevTools, save_to: Path | None = None) -> set[bytes]:
    """The distinct colours of a screenshot of the graph area, taken at a quarter of its size."""
    box = json.loads(browser.evaluate("JSON.stringify(document.getElementById('mynetwork').getBoundingClientRect())"))
    clip = {"x": box["left"], "y": box["top"], "width": box["width"], "height": box["height"], "scale": 0.25}
    shot = base64.b64decode(
        browser.send("Page.captureScreenshot", {"format": "png", "clip": clip}, browser.session)["data"]
    )
    if save_to is not None:
        save_to.write_bytes(shot)
    width, _, rows = png_pixels(shot)
    channels = len(rows[0]) // width
    return {row[x : x + 3] for row in rows for x in range(0, len(row), channels)}


def has_colour_near(colours: set[bytes], hex_colour: str, tolerance: int = 12) -> bool:
    target = bytes.fromhex(hex_colour.lstrip("#"))
    return any(all(abs(a - b) <= tolerance for a, b in zip(colour, target)) for colour in colours)


@pytest.fixture(scope="module")
def small_page(served, browser, make_small_graph):
    directory, base = served
    write_html(make_small_graph(), directory / "small.html", title="kg <img src=x onerror=alert(3)>")
    seconds = open_page(browser, f"{base}/small.html")
    return browser, seconds


def test_graph_is_drawn_offline_without_errors(small_page):
    browser, seconds = small_page
    assert seconds < 20
    assert problems(browser) == []
    urls = requested_urls(browser)
    assert urls and all(u.startswith("http://127.0.0.1:") or u.startswith("data:") for u in urls), urls
    colours = canvas_colours(browser)
    assert len(colours) > 20, "the canvas shows coloured nodes, not a blank area"
    assert has_colour_near(colours, KIND_COLORS["Paper"]) and has_colour_near(colours, KIND_COLORS["Dataset"])


def test_no_input_markup_reaches_the_dom(small_page):
    browser, _ = small_page
    counts = browser.evaluate(
        """JSON.stringify({
          injected: document.querySelectorAll('img[src="x"], svg, [onerror], [onload], b, i, a[href^="javascript"]').length,
          scripts: document.scripts.length,
          sourced: document.querySelectorAll('script[src], link, iframe, object, embed').length,
          title: document.title,
          heading: document.getElementById('kg-title').textContent,
        })"""
    )
    counts = json.loads(counts)
    assert counts["injected"] == 0 and counts["scripts"] == 3 and counts["sourced"] == 0
    assert counts["title"] == counts["heading"] == "kg <img src=x onerror=alert(3)>"


def test_search_focuses_a_node_and_shows_its_details(small_page):
    browser, _ = small_page
    matches = browser.evaluate(
        """(() => { const s = document.getElementById('kg-search'); s.value = 'cifar10';
        s.dispatchEvent(new Event('input'));
        return [...document.querySelectorAll('#kg-matches button')].map(b => b.textContent); })()"""
    )
    assert matches == ["CIFAR-10  ·  Dataset"]
    details = browser.evaluate(
        "document.querySelector('#kg-matches button').click(); document.getElementById('kg-details').innerText"
    )
    assert "CIFAR-10" in details and "Also called: CIFAR10, CIFAR 10" in details
    assert "Named by 3 papers" in details and "Consistency models reach FID 3.55" in details


def test_hostile_paper_details_show_text_and_only_http_links(small_page):
    browser, _ = small_page
    details = browser.evaluate(
        """(() => { const s = document.getElementById('kg-search'); s.value = '<img src=x';
        s.dispatchEvent(new Event('input')); document.querySelector('#kg-matches button').click();
        const panel = document.getElementById('kg-details');
        return JSON.stringify({text: panel.innerText, links: [...panel.querySelectorAll('a')].map(a => a.href),
                               elements: [...panel.querySelectorAll('*')].map(e => e.tagName.toLowerCase())}); })()"""
    )
    details = json.loads(details)
    assert "<img src=x onerror=alert(1)>" in details["text"]
    assert "<script>alert(\"abstract\")</script>" in details["text"]
    assert details["links"] == ["https://github.com/x/y"]
    assert set(details["elements"]) <= {"h2", "h3", "span", "p", "br", "a", "ul", "li", "button"}
    assert problems(browser) == []


def test_leaderboard_ranks_results_for_a_dataset_and_metric(small_page):
    browser, _ = small_page
    board = browser.evaluate(
        """(() => { document.getElementById('kg-tab-leaderboard').click();
        return JSON.stringify({
          visible: !document.getElementById('kg-leaderboard').hidden,
          dataset: document.getElementById('kg-board-dataset').value,
          metric: document.getElementById('kg-board-metric').value,
          order: document.getElementById('kg-board-order').textContent,
          rows: [...document.querySelectorAll('#kg-board-table tbody tr')].map(tr => [...tr.cells].map(c => c.innerText)),
        }); })()"""
    )
    board = json.loads(board)
    assert board["visible"] and board["dataset"] == "CIFAR-10" and board["metric"] == "FID"
    assert board["order"].startswith("Lower is better")
    assert [row[1] for row in board["rows"]] == ["3.55", "9.9%"]
    assert board["rows"][0][2] == "Consistency Model" and board["rows"][0][3].startswith("Consistency Models")
    assert board["rows"][1][4] == "We get <b>9.9</b> FID & more"


def test_a_1500_node_page_is_drawn_within_seconds(served, browser, make_synthetic_graph):
    directory, base = served
    graph = make_synthetic_graph(papers=2000, entities=800)
    write_html(graph, directory / "big.html", max_nodes=1500)
    seconds = open_page(browser, f"{base}/big.html")
    drawn_ms = int(browser.evaluate("document.getElementById('mynetwork').getAttribute('data-drawn-ms')"))
    print(f"1,500-node page drawn {drawn_ms} ms after navigation start ({seconds:.2f} s wall)")
    assert seconds < 30
    assert problems(browser) == []
    assert len(canvas_colours(browser, save_to=directory / "big.png")) > 20
