"""The cost of images: `python bench/images_cost.py [--cards 5000] [--folder /tmp/images-bench]`.

Makes a corpus of --cards issue cards (bench/make_corpus.py) with the default theme, and gives one card in ten a
2,000 × 1,500 photo (a JPEG drawn with Pillow: noise under shapes, so it compresses like a photo, ~0.5–1 MB) as its
`image:`. Then times, each in a new process (`python build.py --no-search`, the default --jobs):

0. with --before DIR (a checkout of the code before images, e.g. `git archive main | tar -x -C DIR`): a clean
   build of the corpus without images by that code: no share cards either;
1. a clean build with an empty cache, without images (the same corpus, `image:` fields and media/ left out):
   the share cards only;
2. a clean build with an empty cache, with images (every variant made and every share card drawn);
3. the same build again, nothing changed;
4. the rebuild after one photo is replaced (new bytes, same name): its variants made again, the pages that
   show it rendered again.

and prints the seconds of each, the files in output/media/ and output/share/, and their bytes.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from make_corpus import make_corpus  # noqa: E402


def photo(path: Path, seed: int) -> None:
    """A 2,000 × 1,500 JPEG that compresses like a photograph: blurred noise under a few soft shapes."""
    rng = random.Random(seed)
    noise = Image.effect_noise((500, 375), 60).convert("RGB").resize((2000, 1500), Image.Resampling.BICUBIC)
    tint = Image.new("RGB", (2000, 1500), tuple(rng.randrange(60, 200) for _ in range(3)))
    image = Image.blend(noise, tint, 0.6)
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randrange(1800), rng.randrange(1300)
        draw.ellipse((x, y, x + rng.randrange(100, 600), y + rng.randrange(100, 500)),
                     fill=tuple(rng.randrange(256) for _ in range(3)))  # fmt: skip
    image = image.filter(ImageFilter.GaussianBlur(2))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=88)


def add_images(content: Path, every: int = 10) -> list[Path]:
    """Give every `every`th card a photo of its own; the photos' paths."""
    photos = []
    for n, card in enumerate(sorted((content / "issues").glob("*.md"))):
        if n % every:
            continue
        name = f"media/photos/{card.stem}.jpg"
        photo(content / name, n)
        text = card.read_text(encoding="utf-8")
        image = f"image:\n  src: {name}\n  alt: A generated photo for {card.stem}\n  credit: 'Photo: bench'\n"
        card.write_text(text.replace("---\n", "---\n" + image, 1), encoding="utf-8")
        photos.append(content / name)
    return photos


def build(site: Path, code: Path = ROOT) -> float:
    """The build's wall time; its CPU time (every process, user and system) is printed: on a loaded machine
    the wall time grows with the load, the CPU time much less."""
    started, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, str(code / "build.py"), "--no-search"], cwd=site, capture_output=True,
                          text=True)  # fmt: skip
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if done.returncode != 0:
        sys.exit(done.stderr[-3000:])
    print("   ", (done.stdout + done.stderr).strip().splitlines()[-1], f"— CPU {cpu:.2f} s")
    return seconds


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
    return len(files), sum(p.stat().st_size for p in files)


def site_of(folder: Path, cards: int, code: Path = ROOT) -> Path:
    """The corpus with the theme of code."""
    shutil.rmtree(folder, ignore_errors=True)
    make_corpus(cards, folder / "content")
    for name in ("templates", "static"):
        shutil.copytree(code / name, folder / name)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=5000)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/images-bench"))
    parser.add_argument("--before", type=Path, help="a checkout of the code before images, for step 0")
    args = parser.parse_args()
    print(f"{args.cards:,} cards, one 2,000 × 1,500 photo per 10 cards; {os.cpu_count()} cores")
    if args.before:
        before = site_of(args.folder / "before", args.cards, args.before.resolve())
        print(f"0. clean build, no images, the code before: {build(before, args.before.resolve()):.2f} s")
    plain = site_of(args.folder / "plain", args.cards)
    print(f"1. clean build, no images: {build(plain):.2f} s")
    site = site_of(args.folder / "images", args.cards)
    photos = add_images(site / "content")
    size = sum(p.stat().st_size for p in photos)
    print(f"   {len(photos)} photos, {size / 1e6:.0f} MB")
    print(f"2. clean build, with images: {build(site):.2f} s")
    for name in ("media", "share"):
        count, total = folder_size(site / "output" / name)
        print(f"   output/{name}/: {count:,} files, {total / 1e6:.1f} MB")
    print(f"3. nothing changed: {build(site):.2f} s")
    photo(photos[len(photos) // 2], 999_999)
    print(f"4. one photo replaced: {build(site):.2f} s")


if __name__ == "__main__":
    main()
