// libFuzzer target (issue 19): the parser against deep nesting of every
// form. The bytes are read twice:
//  - as a formation file, which must be refused (FormationError) or accepted,
//    never crash;
//  - as a recipe for a nested TOML document (table headers, array-of-tables
//    headers, dotted keys, arrays, inline tables, with strings and comments
//    full of brackets as decoys), whose deepest level the recipe knows: at
//    most max_nesting it must parse, deeper it must be refused as "nested too
//    deeply" at a position, whatever the depth (up to the 1 MiB cap).
#include <cstddef>
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formation/nesting.hpp"
#include "formation/parse.hpp"
#include "formation/parse_internal.hpp"

namespace {

using formation::detail::max_nesting;

class Bytes {
public:
    Bytes(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    std::uint8_t next() { return size_ == 0 ? 0 : data_[i_++ % size_]; }
    bool empty() const { return size_ == 0; }

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t i_ = 0;
};

// Levels: a key part or a table header part is one level below its table;
// an array element one level below its array; [[x]] adds the element.
struct Recipe {
    std::string text;
    int deepest = 0;
};

// Whitespace, newlines and comments where an array allows them.
std::string filler(Bytes& b, bool newlines) {
    switch (b.next() % 6) {
        case 0: return " ";
        case 1: return "\t";
        case 2: return newlines ? "\n" : " ";
        case 3: return newlines ? " # ] } [[ { \" '\n" : "  ";
        case 4: return newlines ? "\r\n" : "";
        default: return "";
    }
}

// A key part, bare or quoted, with brackets and dots inside the quotes.
std::string key(Bytes& b) {
    switch (b.next() % 4) {
        case 0: return "a";
        case 1: return "\"[.{\\\"}]\"";
        case 2: return "'[[a.b]]'";
        default: return "k-_9";
    }
}

// A scalar or a string with decoy brackets.
std::string leaf(Bytes& b) {
    switch (b.next() % 7) {
        case 0: return "1";
        case 1: return "\"[[{{\"";
        case 2: return "'{[\"'";
        case 3: return "\"\"\"\n[[[\n\"\"\"\"";
        case 4: return "'''\n{{{ '' '''";
        case 5: return "1979-05-27 07:32:00";
        default: return "true";
    }
}

std::string dotted(Bytes& b, int parts, int& level) {
    std::string out;
    for (int i = 0; i < parts; ++i) {
        if (i) out += b.next() % 2 ? "." : " . ";
        out += key(b);
        ++level;
    }
    return out;
}

Recipe build(Bytes& b) {
    Recipe r;
    // How deep: mostly around the limit, sometimes far past it.
    const std::uint8_t scale = b.next();
    int target = max_nesting - 4 + scale % 10;
    if (scale % 8 == 0) target = max_nesting + 1 + (b.next() << 8 | b.next()) % 4000;
    if (scale == 0x80) target = 100000;  // the depth of issue 19, now and then
    int level = 0;
    r.text = "# " + std::string(3, '[') + " a comment\n";
    if (b.next() % 2) {  // a table header first
        const bool aot = b.next() % 2;
        int parts = 1 + b.next() % 3;
        if (scale % 16 == 1) parts = target;  // the header alone goes deep
        r.text += aot ? "[[" : "[";
        r.text += dotted(b, parts, level);
        r.text += aot ? "]]\n" : "]\n";
        if (aot) ++level;
    }
    int key_parts = 1 + b.next() % 3;
    if (scale % 16 == 2) key_parts = std::max(1, target - level);  // the dotted key goes deep
    r.text += dotted(b, key_parts, level) + " = ";
    r.deepest = level;
    // The value: arrays and inline tables, each opening one or more levels.
    std::vector<std::string> closers;  // innermost last
    while (level < target && r.text.size() < 900 * 1024) {
        if (b.next() % 2) {
            r.text += "[" + filler(b, true);
            if (b.next() % 3 == 0) r.text += leaf(b) + "," + filler(b, true);  // an element before the nested one
            ++level;  // the nested value is an element
            closers.push_back(filler(b, true) + "]");
        } else {
            r.text += "{ ";
            if (b.next() % 3 == 0) r.text += "x0 = " + leaf(b) + ", ";  // a name key() never gives
            r.text += dotted(b, 1 + b.next() % 2, level) + " = ";
            closers.push_back(" }");
        }
        r.deepest = std::max(r.deepest, level);
    }
    r.text += leaf(b);
    for (auto c = closers.rbegin(); c != closers.rend(); ++c) r.text += *c;
    r.text += "\n";
    return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view raw(reinterpret_cast<const char*>(data), size);
    try {
        formation::parse_formation(raw, "fuzz.toml");
    } catch (const formation::FormationError& e) {
        if (e.diagnostics().empty()) __builtin_trap();
    }
    Bytes b(data, size);
    if (b.empty()) return 0;
    Recipe r = build(b);
    if (r.text.size() > 1024 * 1024) return 0;  // refused by size first
    try {
        formation::detail::parse_toml(r.text, "nested.toml");
        if (r.deepest > max_nesting) __builtin_trap();  // too deep, yet parsed
    } catch (const formation::FormationError& e) {
        const auto& d = e.diagnostics().front();
        const bool nesting = d.message.starts_with("nested too deeply") && d.where.line > 0 && d.where.column > 0;
        if (r.deepest <= max_nesting) __builtin_trap();  // valid TOML, not too deep, yet refused
        if (!nesting) __builtin_trap();                  // too deep, refused for another reason
    }
    return 0;
}
