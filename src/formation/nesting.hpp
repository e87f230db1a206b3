// A pass over a formation file's bytes before toml++ parses them, for what
// the parser cannot be trusted with: it recurses once per level of nesting
// (a 200 KB line `a.a.a.….b = 1` overflows the stack: SIGSEGV), and it
// reports invalid UTF-8 at the character before the bad byte (on the line
// above, when that byte starts a line). Not a public header.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "formation/error.hpp"

namespace formation::detail {

// Levels of tables and arrays a formation file may nest. A formation needs
// five at most ([process.web.systemd] Service = ["…"]: process, web, systemd,
// Service, the string); 64 leaves room for any hand-written TOML, while the
// parser's recursion at 64 levels is a few KiB of stack, with sanitizers too.
constexpr int max_nesting = 64;

// The first byte that is not UTF-8 (RFC 3629: no overlong forms, surrogates
// or code points past U+10FFFF), at the line and column toml++ would give
// that character: columns count code points from 1, a leading byte order
// mark is not counted, "\r\n" ends a line as "\n" does.
std::optional<Diagnostic> invalid_utf8(std::string_view text, const std::string& path);

// The first key, table header, array element or inline-table key that sits
// deeper than max_nesting: a node's level is the number of tables and arrays
// from the root down to it (`a.b.c = 1` reaches 3, `[a.b]` then `c = [[1]]`
// reaches 5). Reads strings (basic, literal, multi-line) and comments, so
// brackets inside them do not count. Iterative: any depth costs no stack.
// Text that is not TOML stops the scan (the parser then reports it, before
// it could recurse past that point); nullopt when nothing is too deep.
std::optional<Diagnostic> too_deep(std::string_view text, const std::string& path);

}  // namespace formation::detail
