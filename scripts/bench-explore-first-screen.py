#!/usr/bin/env python3
"""Time to the first screen of `dlint explore IMAGE`, and to the end of the analysis.

Runs dlint in a pseudo-terminal (100x30), records when the first frame appears ("Layers"
drawn), when the first layer is shown (its row "0  77.6 MB" in the layer pane) and when the
image figures appear ("Total size" or the efficiency percentage "39.91%": ratatui redraws only
changed cells, so one of them may be cut; the word "efficiency" alone is also in the reading
screen's hint, so it does not count), then sends `q` and checks the exit code. One line per run.

Usage: scripts/bench-explore-first-screen.py [--bin target/release/dlint] [--runs 3] IMAGE [dlint args]
"""
import argparse, re, os, pty, select, signal, struct, fcntl, termios, time, sys

def once(binary, image, extra):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execv(binary, [binary, "explore", image, "--no-config", *extra])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    t0 = time.monotonic()
    buf, first, layer, full = b"", None, None, None
    while full is None and time.monotonic() - t0 < 600:
        r, _, _ = select.select([fd], [], [], 0.01)
        if not r:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        buf += data
        now = time.monotonic() - t0
        if first is None and b"Layers" in buf:
            first = now
        text = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", buf)
        if layer is None and re.search(rb"\b0 +[0-9.]+ (?:B|kB|MB|GB)", text):
            layer = now
        # the figures: "efficiency 39.91%" (a percentage with two decimals, which the reading
        # screen's hint "size, efficiency, wasted copies ... follow" does not have)
        if layer is not None and (b"Total size" in text or re.search(rb"\d\.\d\d%", text)):
            full = now
    os.write(fd, b"q")
    _, status = os.waitpid(pid, 0)
    return first, layer, full, os.waitstatus_to_exitcode(status)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/dlint")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("image")
    ap.add_argument("extra", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    for i in range(a.runs):
        first, layer, full, code = once(a.bin, a.image, a.extra)
        fmt = lambda t: "never" if t is None else f"{t:.3f} s"
        print(f"run {i + 1}: first frame {fmt(first)}, first layer {fmt(layer)}, figures {fmt(full)}, exit {code}")
        if code != 0 or first is None:
            sys.exit(1)

if __name__ == "__main__":
    main()
