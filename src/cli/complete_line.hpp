// `formation complete`'s reading of the words typed so far, by the
// command-line definition itself (CLI11), so a new verb or option is
// completed without touching the shell scripts.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "app/complete.hpp"
#include "cli/common.hpp"

namespace formation::cli {

// The option of `verb` (first) or of the root named by `word` ("-a", "--app").
const CLI::Option* find_option(const CLI::App& root, const CLI::App* verb, const std::string& word);
bool is_option(const CLI::Option* o, const char* lname);

// What was typed before the word under the cursor.
struct Line {
    const CLI::App* verb = nullptr;
    bool unknown_verb = false;
    const CLI::Option* pending = nullptr;  // the word under the cursor is this option's value
    std::size_t positionals = 0;
    bool after_dashdash = false;
    Globals g;
};

Line read_line(const CLI::App& root, const std::vector<std::string>& done);

// The options of `verb` and the global ones starting with `cur`.
std::vector<app::Candidate> option_candidates(const CLI::App& root, const CLI::App* verb, const std::string& cur);

// The name the verb gives its positional argument number `index`.
std::string positional_name(const CLI::App& verb, std::size_t index);

}  // namespace formation::cli
