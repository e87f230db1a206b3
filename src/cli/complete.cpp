// formation complete -- WORD…: the hidden helper behind the bash, zsh and fish
// completions (data/completions/). It is given the words after "formation",
// the last one being the word under the cursor (possibly empty), and prints
// the candidates for that word, one per line as "WORD\tDESCRIPTION", then a
// last line saying what the shell does with them:
//   :plain    offer the candidates
//   :nospace  offer them without a space after (TYPE= for scale)
//   :files    complete file names instead
//   :dirs     complete directory names instead
// Verbs and options come from the command-line definition itself, so a new
// verb or option is completed without touching the shell scripts; app names
// from the installed formations' directories, type names from the app's
// installed formation. Reads only; any error just means fewer candidates.
#include <CLI/CLI.hpp>

#include <iostream>
#include <optional>

#include "app/complete.hpp"
#include "cli/complete_line.hpp"
#include "cli/scope.hpp"

namespace formation::cli {

namespace {

using app::Candidate;

struct Completion {
    std::vector<Candidate> candidates;
    std::string directive = ":plain";
};

bool visible(CLI::App* sub) { return !sub->get_group().empty(); }

void add_matching(Completion& c, const std::string& cur, const std::string& word, const std::string& description) {
    app::add_matching(c.candidates, cur, word, description);
}

// The app's process types with their counts: the installed formation of
// -a APP, else of the app FILE names.
app::TypeCounts types(const Globals& g) { return app::process_types(g.user, resolve_app(g, "")); }

void complete_value(Completion& c, const Line& l, const std::string& cur) {
    const CLI::Option* o = l.pending;
    if (is_option(o, "app")) {
        for (const auto& a : app::installed_apps(l.g.user)) add_matching(c, cur, a, "installed app");
    } else if (is_option(o, "output")) {
        c.directive = l.verb && l.verb->get_name() == "generate" ? ":dirs" : ":files";
    } else if (is_option(o, "file") || is_option(o, "env")) {
        c.directive = ":files";
    } else if (is_option(o, "dialect")) {
        add_matching(c, cur, "foreman", "read the files as foreman does");
        add_matching(c, cur, "honcho", "read the files as honcho does");
    }
}


void complete_positional(Completion& c, const Line& l, const std::string& cur) {
    std::string name = positional_name(*l.verb, l.positionals);
    if (name == "types" || name == "type" || name == "instances") {
        c.candidates = app::type_candidates(name, cur, types(l.g));
    } else if (name == "counts") {
        if (cur.find('=') != std::string::npos) return;
        c.candidates = app::count_candidates(cur, types(l.g));
        c.directive = ":nospace";
    } else if (!name.empty()) {
        c.directive = ":files";  // a PROCFILE, a COMMAND
    }
}

Completion complete(CLI::App& root, std::vector<std::string> words) {
    Completion c;
    std::string cur = words.empty() ? "" : words.back();
    if (!words.empty()) words.pop_back();
    Line l = read_line(root, words);
    try {
        if (l.pending) complete_value(c, l, cur);
        else if (l.unknown_verb) return c;
        else if (l.after_dashdash) c.directive = ":files";
        else if (cur.starts_with("-")) c.candidates = option_candidates(root, l.verb, cur);
        else if (!l.verb) {
            for (const CLI::App* sub : root.get_subcommands(visible))
                add_matching(c, cur, sub->get_name(), sub->get_description());
        } else {
            complete_positional(c, l, cur);
        }
    } catch (const std::exception&) {
        // An app that is not installed, a FILE that does not parse: nothing to offer.
    } catch (const InvalidFormation&) {
    }
    return c;
}

}  // namespace

void add_complete(CLI::App& root, const Globals&, Run& run) {
    auto words = std::make_shared<std::vector<std::string>>();
    auto* cmd = root.add_subcommand("complete", "");
    cmd->group("");  // hidden: for the shell completions only
    // Called as `formation complete -- WORD...`: after "--" every word is
    // taken as it is, options and empty words included.
    cmd->add_option("words", *words);
    cmd->callback([&root, &run, words] {
        run = [&root, words] {
            Completion c = complete(root, *words);
            for (const auto& cand : c.candidates) {
                std::cout << cand.word;
                if (!cand.description.empty()) std::cout << '\t' << cand.description;
                std::cout << '\n';
            }
            std::cout << c.directive << '\n';
            return exit_ok;
        };
    });
}

}  // namespace formation::cli
