// Reading a completion's command line by the CLI11 definition itself.
#include "cli/complete_line.hpp"

#include <algorithm>

namespace formation::cli {

// The option of `verb` (first) or of the root named by `word` ("-a", "--app").
const CLI::Option* find_option(const CLI::App& root, const CLI::App* verb, const std::string& word) {
    for (const CLI::App* a : {verb, &root}) {
        if (!a) continue;
        for (const CLI::Option* o : a->get_options()) {
            if (word.starts_with("--")) {
                for (const auto& n : o->get_lnames())
                    if ("--" + n == word) return o;
            } else {
                for (const auto& n : o->get_snames())
                    if ("-" + n == word) return o;
            }
        }
    }
    return nullptr;
}

namespace {

bool takes_value(const CLI::Option* o) { return o->get_expected_min() > 0; }

}  // namespace

bool is_option(const CLI::Option* o, const char* lname) {
    const auto& l = o->get_lnames();
    return std::find(l.begin(), l.end(), lname) != l.end();
}

Line read_line(const CLI::App& root, const std::vector<std::string>& done) {
    Line l;
    auto record = [&l](const CLI::Option* o, const std::string& value) {
        if (is_option(o, "app")) l.g.app = value;
        if (is_option(o, "file")) {
            l.g.file = value;
            l.g.file_given = true;
        }
    };
    for (const auto& w : done) {
        if (l.pending) {
            record(l.pending, w);
            l.pending = nullptr;
        } else if (l.after_dashdash) {
            ++l.positionals;
        } else if (w == "--") {
            l.after_dashdash = true;
        } else if (w.size() > 1 && w[0] == '-') {
            auto eq = w.find('=');
            const CLI::Option* o = find_option(root, l.verb, w.substr(0, eq));
            if (!o) continue;
            if (is_option(o, "user")) l.g.user = true;
            if (!takes_value(o)) continue;
            if (eq == std::string::npos) l.pending = o;
            else record(o, w.substr(eq + 1));
        } else if (!l.verb && !l.unknown_verb) {
            try {
                l.verb = root.get_subcommand(w);
            } catch (const CLI::OptionNotFound&) {
                l.unknown_verb = true;
            }
        } else {
            ++l.positionals;
        }
    }
    return l;
}

std::vector<app::Candidate> option_candidates(const CLI::App& root, const CLI::App* verb, const std::string& cur) {
    std::vector<app::Candidate> c;
    for (const CLI::App* a : {verb, &root}) {
        if (!a) continue;
        for (const CLI::Option* o : a->get_options()) {
            if (o->get_group().empty()) continue;
            // A global option the verb has an option of the same name for is the verb's.
            if (a == &root && verb && !o->get_lnames().empty() && find_option(root, verb, "--" + o->get_lnames()[0]) != o)
                continue;
            if (a == &root && verb && o->check_lname("version")) continue;
            // Long names; a short one only for an option that has no long one.
            for (const auto& n : o->get_lnames()) app::add_matching(c, cur, "--" + n, o->get_description());
            if (o->get_lnames().empty())
                for (const auto& n : o->get_snames()) app::add_matching(c, cur, "-" + n, o->get_description());
        }
    }
    return c;
}

// The name the verb gives its positional arguments says what they are.
std::string positional_name(const CLI::App& verb, std::size_t index) {
    std::size_t i = 0;
    for (const CLI::Option* o : verb.get_options()) {
        if (!o->get_positional() || o->nonpositional()) continue;
        // A positional that takes many values takes every later word too.
        if (i == index || (i < index && o->get_expected_max() > 1)) return o->get_name(true);
        ++i;
    }
    return "";
}

}  // namespace formation::cli
