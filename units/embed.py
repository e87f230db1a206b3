#!/usr/bin/env python3
"""Turns the unit templates into a C++ header: one string_view per file."""
import os
import re
import sys

out, inputs = sys.argv[1], sys.argv[2:]
lines = ["// Generated from units/*.in by units/embed.py; do not edit.",
         "#pragma once", "#include <string_view>", "namespace formation::templates {"]
for path in inputs:
    name = os.path.basename(path).removesuffix(".in")
    ident = re.sub(r"[^A-Za-z0-9]+", "_", name)
    data = open(path, "rb").read()
    body = "".join("\\x%02x" % b for b in data)
    lines.append(f'inline constexpr std::string_view {ident}{{"{body}", {len(data)}}};')
lines.append("}  // namespace formation::templates")
with open(out + ".tmp", "w") as f:
    f.write("\n".join(lines) + "\n")
os.replace(out + ".tmp", out)
