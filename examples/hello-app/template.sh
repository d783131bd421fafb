#!/bin/sh
echo "@GREETING@ (running as $(id -un) in $(pwd))"
for f in /app/data/*; do echo "data: $(basename "$f"): $(cat "$f")"; done
