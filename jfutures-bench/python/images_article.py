"""The article's image example, as written there, with the worker count and folders as arguments.

Usage: /usr/bin/python3 images_article.py INPUT_DIR OUTPUT_DIR WORKERS   (needs Debian's python3-pil)
"""
import glob
import os
import sys
from concurrent.futures import ProcessPoolExecutor

from PIL import Image, ImageFilter

INPUT, OUTPUT, WORKERS = sys.argv[1], sys.argv[2], int(sys.argv[3])


def process_image(path):
    img = Image.open(path)
    img = img.filter(ImageFilter.CONTOUR)
    output_path = f'{OUTPUT}/{os.path.basename(path)}'
    img.save(output_path)
    return output_path


if __name__ == '__main__':
    image_paths = glob.glob(f'{INPUT}/*.jpg')
    with ProcessPoolExecutor(max_workers=WORKERS) as executor:
        for result in executor.map(process_image, image_paths):
            print(f'Processed: {result}')
