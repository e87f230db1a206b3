// What the shell completions offer for the words that name an app's parts
// (`formation complete`, cli/complete.cpp): installed apps, process types,
// instances, TYPE= for scale. The cli reads the command line; this decides
// the candidates. Pure but for installed_apps() and process_types().
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace formation::app {

struct Candidate {
    std::string word, description;
};

// The apps installed here (-u: the user's), by their files' names.
std::vector<std::string> installed_apps(bool user);

// A process type as completion shows it.
struct TypeCount {
    std::string name;
    int count = 0;
    std::string schedule;  // a scheduled type's, as written; empty for the others
};
using TypeCounts = std::vector<TypeCount>;

// The process types with their counts of `app`'s installed formation.
TypeCounts process_types(bool user, const std::string& app);

// Appends {word, description} when `word` starts with `cur`.
void add_matching(std::vector<Candidate>& out, const std::string& cur, const std::string& word,
                  const std::string& description);

// For a positional argument named `name` ("types", "type", "instances"):
// the types ("web", "2 instances"; "report", "scheduled (daily)"), or for
// instances once `cur` has a dot, every instance ("web.1"; a scheduled type
// has none). Empty for other names.
std::vector<Candidate> type_candidates(const std::string& name, const std::string& cur, const TypeCounts& types);

// For scale's TYPE=N…: "web=" ("now 2"), never a scheduled type (scale
// refuses it); nothing once `cur` has an "=".
std::vector<Candidate> count_candidates(const std::string& cur, const TypeCounts& types);

}  // namespace formation::app
