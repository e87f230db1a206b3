// FILE's count lines, kept in step with the installed formation by `scale`
// when the user scales through FILE (not -a APP): a link stays a link, and
// only the count lines change (formation/count_edit.hpp).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/count_changes.hpp"
#include "app/formation_file.hpp"
#include "host/atomic_file.hpp"

namespace formation::app {

class CountFile {
public:
    // Reads and parses FILE ("-": standard input, whose count lines cannot
    // be edited), through the descriptor a later edit checks against, and
    // checks that `changes` apply to its count lines, all before anything
    // changes. Throws Error (exit_usage) when FILE is missing or unreadable,
    // InvalidFormation, or FormationError for a type it cannot edit.
    static CountFile open(const std::string& path, const std::vector<CountChange>& changes);

    // FILE as already read and parsed (multi-host scale reads it for its
    // [hosts]), opened once more to be edited: the edit happens only if its
    // name still refers to what was read. Never throws for a FILE that
    // cannot be edited; update() then says why.
    static CountFile reopen(const LoadedFormation& file);

    const LoadedFormation& loaded() const { return file_; }

    // Sets FILE's count lines to `counts` (what the installed formation now
    // holds). nullopt when done or nothing changed; else why FILE was left
    // as it was (standard input; root and a file another user controls; the
    // file changed or could not be written).
    std::optional<std::string> update(const std::vector<std::pair<std::string, int>>& counts);

private:
    LoadedFormation file_;
    std::optional<host::EditedFile> edited_;
    std::optional<std::string> refusal_;
};

}  // namespace formation::app
