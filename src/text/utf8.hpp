// UTF-8, once: what a well-formed sequence is (RFC 3629: no overlongs, no
// surrogates, nothing past U+10FFFF), its code point, how one is written,
// and how many columns a terminal gives a string. Pure; no locale.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace formation::utf8 {

// Length of the well-formed sequence starting at s[i] (1 for ASCII); 0
// when ill-formed or cut short by the end of `s`.
std::size_t sequence_length(std::string_view s, std::size_t i);

// The code point of the well-formed sequence of `n` bytes at s[i].
std::uint32_t code_point(std::string_view s, std::size_t i, std::size_t n);

// True when all of `s` is well-formed UTF-8.
bool is_valid(std::string_view s);

// `cp` written as UTF-8; a surrogate or a value past U+10FFFF as U+FFFD.
void append(std::string& out, std::uint32_t cp);

// Columns a terminal shows for `s`, one per character: continuation bytes
// take none. (Wide and combining characters are not told apart.)
std::size_t columns(std::string_view s);

}  // namespace formation::utf8
