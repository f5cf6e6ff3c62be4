#!/usr/bin/env python3
"""Renders a tmux capture (`capture-pane -p -e -N`) to a PNG, cell by cell.

Usage: render_screenshot.py CAPTURE.txt OUT.png COLUMNS ROWS
pyte rebuilds the screen grid; Pillow draws each cell with DejaVu Sans Mono
(WenQuanYi Zen Hei for CJK). Block elements are drawn as rectangles so bars
are seamless.
"""
import sys
import unicodedata

import pyte
from PIL import Image, ImageDraw, ImageFont

capture, out, cols, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
text = open(capture, encoding="utf-8").read().replace("\ufe0f", "").replace("\u200d", "")
screen = pyte.Screen(cols, rows)
stream = pyte.Stream(screen)
stream.feed(text.rstrip("\n").replace("\n", "\r\n"))

CW, CH, SIZE = 10, 21, 17
MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
MONO_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
CJK = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
fonts = {False: ImageFont.truetype(MONO, SIZE), True: ImageFont.truetype(MONO_BOLD, SIZE)}
try:
    cjk = ImageFont.truetype(CJK, SIZE)
except OSError:
    cjk = fonts[False]

PALETTE = {
    "black": (30, 30, 36), "red": (224, 92, 92), "green": (120, 200, 110), "brown": (226, 190, 90),
    "yellow": (226, 190, 90), "blue": (100, 150, 230), "magenta": (200, 120, 210), "cyan": (90, 200, 210),
    "white": (220, 220, 220), "brightblack": (120, 120, 130), "brightred": (255, 120, 120),
    "brightgreen": (150, 230, 140), "brightyellow": (255, 220, 120), "brightblue": (140, 180, 255),
    "brightmagenta": (230, 150, 240), "brightcyan": (130, 230, 240), "brightwhite": (255, 255, 255),
}
BG, FG = (24, 25, 30), (215, 215, 215)


def color(name, default):
    if name == "default":
        return default
    if name in PALETTE:
        return PALETTE[name]
    if len(name) == 6:
        return tuple(int(name[i:i + 2], 16) for i in (0, 2, 4))
    return default


img = Image.new("RGB", (cols * CW, rows * CH), BG)
draw = ImageDraw.Draw(img)
for y in range(rows):
    line = screen.buffer[y]
    x = 0
    while x < cols:
        ch = line[x]
        fg, bg = color(ch.fg, FG), color(ch.bg, BG)
        if ch.bold and ch.fg in PALETTE and "bright" + ch.fg in PALETTE:
            fg = PALETTE["bright" + ch.fg]
        if ch.reverse:
            fg, bg = (bg if bg != BG else (24, 25, 30)), (fg if ch.fg != "default" else FG)
        data = ch.data or " "
        wide = unicodedata.east_asian_width(data[:1]) in ("W", "F")
        w = 2 if wide else 1
        x0, y0 = x * CW, y * CH
        draw.rectangle([x0, y0, x0 + w * CW - 1, y0 + CH - 1], fill=bg)
        if data == "█":
            draw.rectangle([x0, y0 + 3, x0 + CW - 1, y0 + CH - 4], fill=fg)
        elif data == "▀":
            # Preview half blocks: the top half in the foreground, the bottom in the background.
            draw.rectangle([x0, y0, x0 + CW - 1, y0 + CH // 2 - 1], fill=fg)
        elif data in ("░", "▒", "▓"):
            # Shades: a mix of foreground and background. Progress bars (no background)
            # keep the bar's inset; preview ramps fill the cell.
            share = {"░": 1, "▒": 2, "▓": 3}[data]
            mix = tuple((a * share + b * (4 - share)) // 4 for a, b in zip(fg, bg))
            inset = 3 if ch.bg == "default" else 0
            draw.rectangle([x0, y0 + inset, x0 + CW - 1, y0 + CH - 1 - inset], fill=mix)
        elif data.strip():
            font = cjk if wide else fonts[bool(ch.bold)]
            draw.text((x0, y0 + 1), data, font=font, fill=fg)
        if ch.underscore:
            draw.line([x0, y0 + CH - 2, x0 + w * CW - 1, y0 + CH - 2], fill=fg)
        x += w
img.save(out)
