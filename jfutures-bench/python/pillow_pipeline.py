"""Where one image's time goes in Pillow: open+load, filter, save (JPEG, quality 75), per filter.

Usage: /usr/bin/python3 pillow_pipeline.py PHOTO [ROUNDS]   (needs Debian's python3-pil)
"""
import io
import statistics
import sys
import time

from PIL import Image, ImageFilter

FILTERS = ["BLUR", "CONTOUR", "DETAIL", "EDGE_ENHANCE", "EDGE_ENHANCE_MORE", "EMBOSS",
           "FIND_EDGES", "SHARPEN", "SMOOTH", "SMOOTH_MORE"]
path = sys.argv[1]
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
for name in FILTERS:
    decode, apply, encode = [], [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        im = Image.open(path)
        im.load()
        t1 = time.perf_counter()
        out = im.filter(getattr(ImageFilter, name))
        t2 = time.perf_counter()
        out.save(io.BytesIO(), "JPEG")
        t3 = time.perf_counter()
        decode.append(t1 - t0)
        apply.append(t2 - t1)
        encode.append(t3 - t2)
    print("%-10s %-18s decode %6.1f ms  filter %6.1f ms  encode %6.1f ms" % (
        "Pillow", name, statistics.median(decode) * 1e3, statistics.median(apply) * 1e3,
        statistics.median(encode) * 1e3))
