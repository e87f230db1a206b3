#include "app/count_file.hpp"

#include <unistd.h>

#include "app/context.hpp"
#include "app/error.hpp"
#include "formation/count_edit.hpp"

namespace formation::app {

namespace {

// Why FILE's count lines must not be edited, decided before anything changes:
// root edits no file that another user could swap for a link meanwhile.
std::optional<std::string> edit_refusal(const std::optional<host::EditedFile>& edited) {
    if (!edited) return "-f -: standard input has no count lines to edit";
    if (::geteuid() != 0) return std::nullopt;
    auto why = edited->controlled_by_other(0);
    if (!why) return std::nullopt;
    return *why + ", and root edits no file that another user controls (it could be swapped for a link to "
                  "any file)";
}

}  // namespace

CountFile CountFile::open(const std::string& path, const std::vector<CountChange>& changes) {
    CountFile f;
    if (path == "-") {
        f.file_ = load_formation(path);
    } else {
        try {
            f.edited_ = host::EditedFile::open(path);
        } catch (const host::DiskError& e) {
            throw Error(e.what(), exit_usage);
        }
        if (!f.edited_) throw Error(path + ": no such file (use -f FILE, or -a APP for an installed app)", exit_usage);
        f.file_ = parse_loaded(path, f.edited_->text());
    }
    select_types(f.file_.formation, types_of(changes));
    set_counts(f.file_.text, f.file_.path, resolve_counts(changes, f.file_.formation));
    f.refusal_ = edit_refusal(f.edited_);
    return f;
}

CountFile CountFile::reopen(const LoadedFormation& file) {
    CountFile f;
    f.file_ = file;
    if (file.path != "-") {
        try {
            f.edited_ = host::EditedFile::open(file.path);
        } catch (const host::DiskError& e) {
            f.refusal_ = e.what();
            return f;
        }
        if (!f.edited_ || f.edited_->text() != file.text) {
            f.edited_.reset();
            f.refusal_ = file.path + " changed as it was read";
            return f;
        }
    }
    f.refusal_ = edit_refusal(f.edited_);
    return f;
}

std::optional<std::string> CountFile::update(const std::vector<std::pair<std::string, int>>& counts) {
    std::string updated = set_counts(file_.text, file_.path, counts);
    if (updated == file_.text) return std::nullopt;
    if (refusal_) return refusal_;
    try {
        edited_->replace(updated);
        return std::nullopt;
    } catch (const host::DiskError& e) {
        return std::string(e.what());
    }
}

}  // namespace formation::app
