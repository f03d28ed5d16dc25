# Sourced by images-figures.sh, images-ab.sh and figures-ab.sh: what they need to time whole
# processes side by side. Each sets $work, a scratch folder, before calling these.

# Copies each of five 2560x1600 sample photographs $2 times into folder $1; sets $count. With $3
# "mixed", every other copy is the photograph re-saved as a progressive JPEG (quality 90) by Pillow,
# as cameras' and the web's photos often are; progressive files are where codecs differ most.
copy_photos() {
  local photo i source
  mkdir -p "$1"
  count=0
  for photo in Aqua Garden LadyBird TwoWings YellowFlower; do
    if [ "${3:-baseline}" = mixed ]; then
      /usr/bin/python3 -c 'import sys; from PIL import Image; Image.open(sys.argv[1]).save(sys.argv[2], quality=90, progressive=True)' \
        "samples/photos/$photo.jpg" "$1/.$photo-progressive.jpg"
    fi
    for i in $(seq 1 "$2"); do
      source="samples/photos/$photo.jpg"
      if [ "${3:-baseline}" = mixed ] && [ $((i % 2)) = 0 ]; then
        source="$1/.$photo-progressive.jpg"
      fi
      cp "$source" "$1/$photo-$i.jpg"
      count=$((count + 1))
    done
  done
  rm -f "$1"/.*-progressive.jpg
}

# Runs the command with an empty $work/out and prints its wall time in seconds; if it fails, shows
# its stderr and ends the script.
seconds() {
  local t0 t1
  rm -rf "$work/out"; mkdir -p "$work/out"
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>"$work/err" || { echo "failed: $*" >&2; cat "$work/err" >&2; exit 1; }
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
}

# The median of the numbers on stdin, separated by spaces or lines.
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Checks out REV $1 in a worktree at $work/before and builds it and this checkout; the caller's
# EXIT trap runs remove_before.
build_before() {
  git worktree add --detach -q "$work/before" "$1"
  echo "building $1 and this checkout ..." >&2
  "$work/before/jfutures" build -q >/dev/null 2>&1
  ./jfutures build -q >/dev/null 2>&1
}

remove_before() { git worktree remove --force "$work/before" >/dev/null 2>&1 || true; rm -rf "$work"; }
