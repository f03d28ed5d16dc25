#!/usr/bin/python3
"""Makes the Pillow fixtures that jfutures-cli's tests compare against.

Run with Debian's Pillow (apt-get install python3-pil), from this folder:
    /usr/bin/python3 make_fixtures.py
It rewrites every fixture here; the files are committed, so the tests need no Python.

- {mode}.png: a 41x29 input of mode L, LA, RGB or RGBA: noise (to hit clipping and float rounding),
  a gradient and flat areas.
- {mode}-{filter}.png: that input filtered by Pillow's ImageFilter.{FILTER}.
- tiny-{w}x{h}.png (L) and its -{filter}.png results: images as small as, or smaller than, a kernel.
- photo.jpg, photo-progressive.jpg, photo-gray.jpg: JPEG inputs (a crop of samples/photos/LadyBird.jpg).
- {jpeg}.decoded.png: Pillow's pixels of that JPEG.
- {jpeg}-contour.jpg: Pillow's `Image.open(jpeg).filter(CONTOUR).save(...)` at default settings,
  as the article's program writes it.
- palette.png (mode P) and rgb16.png (16-bit), for the modes the tool refuses.
"""
import os
import random
from PIL import Image, ImageFilter, __version__

FILTERS = ["BLUR", "CONTOUR", "DETAIL", "EDGE_ENHANCE", "EDGE_ENHANCE_MORE", "EMBOSS",
           "FIND_EDGES", "SHARPEN", "SMOOTH", "SMOOTH_MORE"]
W, H = 41, 29


def sample(rng, x, y, band):
    if y < 10:
        return rng.randrange(256)
    if y < 20:
        return (x * 6 + band * 40 + y * 3) % 256
    return 255 if (x // 7 + band) % 2 else (0 if x % 3 else 128)


def make(mode, rng):
    bands = len(mode)
    im = Image.new(mode, (W, H))
    im.putdata([tuple(sample(rng, x, y, b) for b in range(bands)) if bands > 1
                else sample(rng, x, y, 0) for y in range(H) for x in range(W)])
    return im


def main():
    rng = random.Random(20261125)
    for mode in ["L", "LA", "RGB", "RGBA"]:
        im = make(mode, rng)
        im.save(f"{mode}.png")
        for name in FILTERS:
            im.filter(getattr(ImageFilter, name)).save(f"{mode}-{name.lower()}.png")

    for w, h in [(3, 3), (4, 4), (5, 5), (6, 2)]:
        im = Image.new("L", (w, h))
        im.putdata([rng.randrange(256) for _ in range(w * h)])
        im.save(f"tiny-{w}x{h}.png")
        for name in ["BLUR", "CONTOUR"]:
            im.filter(getattr(ImageFilter, name)).save(f"tiny-{w}x{h}-{name.lower()}.png")

    photo = Image.open("../../../../../samples/photos/LadyBird.jpg").crop((1000, 600, 1161, 721))
    photo.save("photo.jpg", quality=90)
    photo.save("photo-progressive.jpg", quality=85, progressive=True)
    photo.convert("L").save("photo-gray.jpg")
    for base in ["photo", "photo-progressive", "photo-gray"]:
        src = Image.open(f"{base}.jpg")
        src.save(f"{base}.decoded.png")
        src.filter(ImageFilter.CONTOUR).save(f"{base}-contour.jpg")

    p = make("RGB", rng).convert("P", palette=Image.ADAPTIVE)
    p.save("palette.png")
    Image.new("I;16", (8, 8), 4000).save("gray16.png")
    Image.new("CMYK", (8, 8), (10, 20, 30, 40)).save("cmyk.jpg")
    with open("VERSION", "w") as f:
        f.write(f"Pillow {__version__}\n")


if __name__ == "__main__":
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    main()
